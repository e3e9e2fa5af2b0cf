import { describe, expect, it } from 'vitest';
import * as kernel from '../kernel/migrate_device';
import { MIGRATE_PFN_MIGRATE as K_MIGRATE, MIGRATE_PFN_SHIFT as K_SHIFT, MIGRATE_PFN_VALID as K_VALID } from '../kernel/movable-pfn-array';
import {
  decodeMpfn, entriesTouched, entryAt, MIGRATE_PFN_MIGRATE, MIGRATE_PFN_SHIFT, MIGRATE_PFN_VALID, MIGRATE_PFN_WRITE, mpfnText,
  sameMigrateVma, srcNotMigrating, type MigrateVma,
} from './mpfn';

const entry = (pfn: number, flags: number): number => pfn * 64 + flags;

describe('migrate_vma entries', () => {
  it('uses the kernel model\'s encoding', () => {
    expect([MIGRATE_PFN_VALID, MIGRATE_PFN_MIGRATE, MIGRATE_PFN_WRITE, MIGRATE_PFN_SHIFT]).toEqual([K_VALID, K_MIGRATE, kernel.MIGRATE_PFN_WRITE, K_SHIFT]);
  });

  it('reads a page entry, a hole and an empty slot', () => {
    expect(decodeMpfn(entry(0x1c49, 1 | 2 | 8))).toEqual({ kind: 'page', pfn: 0x1c49, flags: ['VALID', 'MIGRATE', 'WRITE'] });
    expect(decodeMpfn(MIGRATE_PFN_MIGRATE)).toEqual({ kind: 'hole', flags: ['MIGRATE'] });
    expect(decodeMpfn(0)).toEqual({ kind: 'empty' });
  });

  it('writes entries as plain text', () => {
    expect(mpfnText(entry(0x21ff, 1))).toBe('pfn 0x21ff VALID');
    expect(mpfnText(entry(0x1c4b, 1 | 8))).toBe('pfn 0x1c4b VALID|WRITE');
    expect(mpfnText(MIGRATE_PFN_MIGRATE)).toBe('hole (MIGRATE, no page)');
    expect(mpfnText(MIGRATE_PFN_WRITE)).toBe('WRITE (no page)');
    expect(mpfnText(0)).toBe('0');
  });

  it('agrees with the kernel model on the PFN of every kind of entry', () => {
    for (const e of [0, MIGRATE_PFN_MIGRATE, entry(0x2000, 1), entry(0x1c4b, 1 | 2 | 8), entry(0x1ffff, 1 | 8)]) {
      const m = decodeMpfn(e);
      expect(m.kind === 'page' ? m.pfn : -1).toBe(kernel.mpfnToPfn(e));
    }
  });

  it('calls a page that lost MIGRATE not migrating, and a hole or an empty slot not', () => {
    expect(srcNotMigrating(entry(0x1c4b, 1 | 8))).toBe(true);
    expect(srcNotMigrating(entry(0x1c4b, 1 | 2 | 8))).toBe(false);
    expect(srcNotMigrating(MIGRATE_PFN_MIGRATE)).toBe(false);
    expect(srcNotMigrating(0)).toBe(false);
  });

  it('places entry i at start + i pages for a VMA and start + i PFNs for a device range', () => {
    const v: MigrateVma = { kind: 'vma', npages: 2, cpages: 2, start: 0x110000000, faultPage: -1, src: [0, 0], dst: [0, 0] };
    expect(entryAt(v, 3)).toBe(0x110003000);
    expect(entryAt({ ...v, kind: 'range', start: 0x2000 }, 3)).toBe(0x2003);
    expect(sameMigrateVma(v, { ...v, src: [0, 0] })).toBe(true);
    expect(sameMigrateVma(v, { ...v, dst: [0, entry(0x21ff, 1)] })).toBe(false);
    expect(sameMigrateVma(v, null)).toBe(false);
  });

  it('finds the entries a step touches through their src or dst page', () => {
    const v: MigrateVma = {
      kind: 'vma', npages: 3, cpages: 2, start: 0x110000000, faultPage: -1,
      src: [entry(0x1c49, 1 | 2), MIGRATE_PFN_MIGRATE, entry(0x1c4b, 1 | 2)],
      dst: [entry(0x21ff, 1), entry(0x21fe, 1), 0],
    };
    expect(entriesTouched(v, [{ pfn: 0x21fe }])).toEqual([1]);
    expect(entriesTouched(v, [{ pfn: 0x1c40, nr: 16 }])).toEqual([0, 2]);
    expect(entriesTouched(v, [{ pfn: 0x2000 }])).toEqual([]);
  });
});
