// Every outline the code panel knows, by the step's function name.
import type { Outline } from './outline';
import { MIGRATE_OUTLINES } from './outlines-migrate';
import { MM_OUTLINES } from './outlines-mm';
import { DRIVER_OUTLINES } from './outlines-drivers';
import { PGTABLE_OUTLINES } from './outlines-pgtable';

export const OUTLINES: Readonly<Record<string, Outline>> = {
  ...MIGRATE_OUTLINES,
  ...MM_OUTLINES,
  ...DRIVER_OUTLINES,
  ...PGTABLE_OUTLINES,
};
