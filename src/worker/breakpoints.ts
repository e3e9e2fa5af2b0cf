// Breakpoints: which step stops play and multi-step moves. A PFN breakpoint hits when a step
// touches a block or folio that contains the PFN, not only when it names that PFN as its first
// page: freeing 0x454 as part of an order-2 block at 0x454..0x457 also touches 0x455.
// It reads the step's compact record (engine/steptable.ts), so play never makes a step in full.
import { fnOf, phaseOf, roleAt, type StepTable } from '../engine/steptable';
import { hex } from '../kernel/step';
import type { Breakpoint } from './protocol';

/** What the first breakpoint that matches step `id` is, in words ("phase merge"), or null. */
export function breakpointHit(tb: StepTable, id: number, list: readonly Breakpoint[]): string | null {
  if (id < 1 || id > tb.n || list.length === 0) return null;
  for (const b of list) {
    switch (b.kind) {
      case 'phase':
        if (phaseOf(tb, id) === b.phase) return `phase ${b.phase}`;
        break;
      case 'fn':
        if (fnOf(tb, id) === b.fn) return `function ${b.fn}`;
        break;
      case 'pfn': {
        const role = roleAt(tb, id, b.pfn);
        if (role) return `PFN ${hex(b.pfn)} (${role})`;
        break;
      }
      default:
        return assertNeverBreakpoint(b);
    }
  }
  return null;
}

function assertNeverBreakpoint(b: never): never {
  throw new Error(`unknown breakpoint kind: ${JSON.stringify(b)}`);
}
