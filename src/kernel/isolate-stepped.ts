// isolate_movable_ops_page() of a balloon page, stepped: a step between folio_trylock()
// and the driver's isolate_page(), while the page lock is held. That is where a balloon deflate
// meets an isolator of the same page: 6.18's balloon_page_list_dequeue() trylocks each page and
// skips this one; 7.0's takes it without looking at the page lock, and the isolator's
// isolate_page() then finds page->private NULL under balloon_pages_lock.
//
// Stepped only while a deflate is in flight (k.balloonDeflating): nobody else looks at a balloon
// page's lock from outside the core, so elsewhere isolation stays the one step it always was, and
// the step numbers of every other scenario stay as they are. Each loser's step says which guard
// kept it out (kernel/guards.ts), and every guard asks guardOn() so the sweep can switch it off.

import { PG, PGTY } from './flags';
import type { Kernel } from './kernel';
import { clearPageFlag, setPageFlag, testPageFlag } from './memmap';
import { page_has_movable_ops, PageMovableOpsIsolated } from './balloon';
import { movableOpsIsolatePage } from './isolate';
import { folio_get, folio_put } from './folio';
import { guardOn, type Exclusion } from './guards';
import { addHolder, HOLD, removeHolder } from './pins';
import { hex, mkStep, type Steps } from './step';

/** Whether isolate_folio_to_list() takes this page through the stepped isolation below. */
export const isolationStepped = (k: Kernel, page: number): boolean =>
  k.balloonDeflating > 0 && k.mem.pageType.a[page] === PGTY.offline;

/** The part of isolate_movable_ops_page() the refusal kinds come from, by what the driver said. */
const driverRefusal = (why: string): Exclusion => ({ guard: 'driver', why: why.replace(/^the driver's isolate_page\(\) refused: /, '') });

// mm/migrate.c: isolate_movable_ops_page(), stepped: true when the page is isolated (the caller
// lists it and says so), false after a step saying which guard refused it.
export function* isolate_movable_ops_page_stepped(k: Kernel, page: number, who: string): Steps<boolean> {
  const FILE = 'mm/migrate.c';
  const pfns = [{ pfn: page, role: 'src' as const }];
  const ref = k.mem.refcount.a[page]!;
  if (ref === 0 && guardOn(k, 'try-get')) {
    yield mkStep(k, { phase: 'isolate', fn: 'isolate_movable_ops_page', file: FILE, text: `${who}: folio_get_nontail_page(${hex(page)}) fails: refcount 0, the page is being freed (deflate released it)`, pfns, result: 'false', excluded: { guard: 'try-get', why: 'folio_get_nontail_page failed: refcount 0' } });
    return false;
  }
  folio_get(k, page);
  // A temporary reference until isolate_page() agrees; then it is the isolation reference.
  addHolder(k.st, k.pins, page, HOLD.TEMP);
  const drop = (): void => {
    removeHolder(k.st, k.pins, page, HOLD.TEMP);
    folio_put(k, page);
  };
  if (!page_has_movable_ops(k, page)) {
    drop();
    yield mkStep(k, { phase: 'isolate', fn: 'isolate_movable_ops_page', file: FILE, text: `${who}: ${hex(page)} is no longer a movable_ops page: the reference is dropped (refcount ${ref})`, pfns, result: 'false' });
    return false;
  }
  if (testPageFlag(k, page, PG.locked) && guardOn(k, 'trylock')) {
    drop();
    yield mkStep(k, { phase: 'isolate', fn: 'isolate_movable_ops_page', file: FILE, text: `${who}: +1 reference on ${hex(page)}, but folio_trylock() fails: someone holds its lock; the reference is dropped again (refcount ${ref + 1} → ${ref})`, pfns, result: 'false', excluded: { guard: 'trylock', why: 'trylock failed' } });
    return false;
  }
  setPageFlag(k, page, PG.locked);
  if (PageMovableOpsIsolated(k, page) && guardOn(k, 'isolated-flag')) {
    clearPageFlag(k, page, PG.locked);
    drop();
    yield mkStep(k, { phase: 'isolate', fn: 'isolate_movable_ops_page', file: FILE, text: `${who}: ${hex(page)} locked, but PG_movable_ops_isolated is already set: another migrator has it; unlocked, reference dropped (refcount ${ref + 1} → ${ref})`, pfns, result: 'false', excluded: { guard: 'isolated-flag', why: 'PG_movable_ops_isolated already set' } });
    return false;
  }
  // The gap: the page lock is held, the driver not yet asked.
  yield mkStep(k, {
    phase: 'isolate', fn: 'isolate_movable_ops_page', file: FILE,
    text: `${who}: +1 reference on ${hex(page)} (refcount ${ref} → ${ref + 1}), folio_trylock() succeeds and PG_movable_ops_isolated is clear; the page lock is held while isolate_movable_ops_page() calls the balloon's isolate_page() next`,
    pfns, result: 'true',
  });
  const why = movableOpsIsolatePage(k, page);
  if (why) {
    clearPageFlag(k, page, PG.locked);
    const now = k.mem.refcount.a[page]!;
    drop();
    yield mkStep(k, { phase: 'isolate', fn: 'isolate_movable_ops_page', file: FILE, text: `${who}: ${hex(page)} is not isolated: ${why}; the page is unlocked and the reference dropped (refcount ${now} → ${now - 1}${now === 1 ? ': the last one, the page is freed' : ''})`, pfns, result: 'false', excluded: driverRefusal(why) });
    return false;
  }
  setPageFlag(k, page, PG.reclaim); // SetPageMovableOpsIsolated()
  clearPageFlag(k, page, PG.locked);
  removeHolder(k.st, k.pins, page, HOLD.TEMP);
  addHolder(k.st, k.pins, page, HOLD.ISOLATED);
  return true;
}
