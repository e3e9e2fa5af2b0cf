// Breakpoints: which step stops play and multi-step moves. A PFN breakpoint hits when a step
// touches a block or folio that contains the PFN, not only when it names that PFN as its first
// page: freeing 0x454 as part of an order-2 block at 0x454..0x457 also touches 0x455.
import type { Step } from '../engine/timeline';
import { hex } from '../kernel/step';
import type { Breakpoint } from './protocol';

/** What the first breakpoint that matches `step` is, in words ("phase merge"), or null. */
export function breakpointHit(step: Step | undefined, list: readonly Breakpoint[]): string | null {
  if (!step) return null;
  for (const b of list) {
    switch (b.kind) {
      case 'phase':
        if (step.phase === b.phase) return `phase ${b.phase}`;
        break;
      case 'fn':
        if (step.fn === b.fn) return `function ${b.fn}`;
        break;
      case 'pfn': {
        const p = step.pfns.find((x) => b.pfn >= x.pfn && b.pfn < x.pfn + (x.nr ?? 1));
        if (p) return `PFN ${hex(b.pfn)} (${p.role})`;
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
