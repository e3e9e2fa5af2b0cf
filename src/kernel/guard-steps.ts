// Isolation as a sequence of guards (issue 17: "the race, made visible"). A design describes its
// isolation of a page as stages — the speculative reference, the trylock, the isolated flag, the
// driver's isolate_page() — and runGuards() runs them. For the tasks of a `race` action
// (k.raced) every stage is its own step, passed or failed, a failed guard's step carries the
// Exclusion, and the loser's back-off (its transient +1 undone) is a step of its own; for every
// other caller the same stages run without a step between them, so other presets keep their
// steps. Every guard asks guardOn() first: the sweep switches one off to show a design without it.

import type { Kernel } from './kernel';
import { guardOn, type GuardKind } from './guards';
import { addHolder, HOLD, removeHolder } from './pins';
import { hex, mkStep, type Steps } from './step';
import { PG } from './flags';
import { clearPageFlag, setPageFlag, setPageRefcount, testPageFlag } from './memmap';
import { folio_get, folio_put } from './folio';

export interface GuardStage {
  /** The guard this stage is; null for a plain check (page_has_movable_ops()) or the commit. */
  readonly guard: GuardKind | null;
  /** The kernel function the stage's step models, and its file. */
  readonly fn: string;
  readonly file: string;
  /**
   * Check and, when it passes, act (take the reference, lock the page, take it off the driver's
   * list): null when passed, else what the loser found, with values ("trylock failed").
   */
  attempt(k: Kernel): string | null;
  /** Undo what `attempt` did, at the back-off of a later stage's failure (folio_put, folio_unlock). */
  undo?(k: Kernel): void;
  /** Undo at the commit, after the last stage passed (folio_unlock; the reference is kept). */
  release?(k: Kernel): void;
  /** The stage took a reference: in steps, it is a temporary holder until commit or back-off. */
  readonly takesRef?: boolean;
  /** The passed step's sentence, `ref` the refcount before the stage; no step when absent. */
  passed?(k: Kernel, ref: number): string;
  /** The reason an atomic caller returns (today's wording) when this stage fails; `why` if absent. */
  readonly atomicWhy?: string;
  /** What happens when the guard is switched off, for the step that says so (default: "not checked"). */
  readonly offText?: string;
  /** Act as if the guard were absent (e.g. take the reference of a frozen page anyway). */
  absent?(k: Kernel): void;
}

export interface GuardRun {
  readonly who: string;
  readonly page: number;
  /** The design's words before each sentence, e.g. "linux-6.12 variant". */
  readonly label?: string;
  /**
   * The function whose guards these are (isolate_movable_ops_page, isolate_migratepages_block): each
   * step is named by it, as the code panel shows that function with the guard's line lit; the
   * stage's own function (folio_trylock) starts the step's sentence. Absent: the stage's function.
   */
  readonly fn?: string;
  readonly file?: string;
  /** The back-off's function name: what drops the transient reference (folio_put). */
  readonly backoffFn?: string;
  readonly backoffFile?: string;
}

const raw = (k: Kernel, pfn: number): number => k.mem.refcount.a[pfn]!;

/**
 * Run the stages in order. Returns null when every stage passed (the page is isolated), else the
 * failing stage's reason: its atomicWhy when there is one (the words the non-race paths keep).
 */
export function* runGuards(k: Kernel, stages: readonly GuardStage[], run: GuardRun): Steps<string | null> {
  const fine = k.raced;
  const done: GuardStage[] = [];
  let temp = false; // a temporary holder is recorded for the transient reference (steps only)
  const { page, who } = run;
  const pfns = [{ pfn: page, role: 'src' as const }];
  const lead = `${who}${run.label ? ` (${run.label})` : ''}`;
  const at = (s: GuardStage): { fn: string; file: string } => ({ fn: run.fn ?? s.fn, file: run.file ?? s.file });
  for (const s of stages) {
    const ref = raw(k, page);
    if (s.guard && !guardOn(k, s.guard)) {
      s.absent?.(k);
      if (s.absent) done.push(s);
      if (fine && s.absent && s.takesRef) {
        addHolder(k.st, k.pins, page, HOLD.TEMP);
        temp = true;
      }
      if (fine) yield mkStep(k, { phase: 'isolate', ...at(s), text: `${lead}: the ${s.guard} guard is switched off: ${s.offText ?? `${s.fn}() is not checked on ${hex(page)}`}`, pfns });
      continue;
    }
    const why = s.attempt(k);
    if (why !== null) {
      if (fine) {
        yield mkStep(k, { phase: 'isolate', ...at(s), text: `${lead}: ${s.fn}() on ${hex(page)}: ${why}${s.guard ? ` — the ${s.guard} guard keeps ${who} out` : ''}`, pfns, result: 'false', ...(s.guard ? { excluded: { guard: s.guard, why } } : {}) });
      }
      const before = raw(k, page);
      for (const d of [...done].reverse()) d.undo?.(k);
      if (!fine && temp) removeHolder(k.st, k.pins, page, HOLD.TEMP);
      if (fine && done.length) {
        const tookRef = done.some((d) => d.takesRef);
        if (temp) removeHolder(k.st, k.pins, page, HOLD.TEMP);
        const undone = done.filter((d) => d.undo).map((d) => d.fn);
        yield mkStep(k, {
          phase: 'isolate', fn: run.fn ?? run.backoffFn ?? 'folio_put', file: run.file ?? run.backoffFile ?? 'mm/swap.c',
          text: `${lead} backs off ${hex(page)}: ${undone.length ? `undoes ${undone.join(', ')}` : 'nothing to undo'}${tookRef ? ` — its transient reference dropped, refcount ${before} → ${raw(k, page)}` : ''}`,
          pfns, result: 'false',
        });
      }
      return s.atomicWhy ?? why;
    }
    done.push(s);
    if (fine && s.takesRef) {
      addHolder(k.st, k.pins, page, HOLD.TEMP);
      temp = true;
    }
    if (s === stages[stages.length - 1]) {
      // The commit: the page lock (and whatever else a stage holds only meanwhile) is released,
      // and the transient reference becomes the isolation reference the commit recorded.
      for (const d of [...done].reverse()) d.release?.(k);
      if (temp) removeHolder(k.st, k.pins, page, HOLD.TEMP);
      temp = false;
    }
    if (fine && s.passed) {
      const said = s.passed(k, ref);
      yield mkStep(k, { phase: 'isolate', ...at(s), text: `${lead}: ${said.startsWith(`${s.fn}()`) ? said : `${s.fn}(): ${said}`}`, pfns, result: 'true' });
    }
  }
  return null;
}

/** Run the stages without steps (for callers outside a race): the same result, no yield. */
export function runGuardsNow(k: Kernel, stages: readonly GuardStage[], page: number): string | null {
  const raced = k.raced;
  k.raced = false;
  try {
    const g = runGuards(k, stages, { who: '', page });
    for (;;) {
      const r = g.next();
      if (r.done) return r.value;
    }
  } finally {
    k.raced = raced;
  }
}

// ---- Stages a design assembles its isolation from ----

/**
 * The speculative reference: folio_get_nontail_page() / folio_try_get() fail on refcount 0 (a
 * page being freed, or frozen). Switched off, the path takes its reference anyway (page_ref_inc
 * on 0 resurrects the page: what the invariants then catch).
 */
export function speculativeRef(page: number, fn = 'folio_get_nontail_page', atomicWhy?: string): GuardStage {
  let resurrected = false;
  return {
    guard: 'try-get', fn, file: 'mm/migrate.c', takesRef: true, atomicWhy,
    attempt: (k) => {
      if (k.mem.refcount.a[page] === 0) return `${fn === 'folio_try_get' ? 'folio_try_get' : fn} failed: refcount frozen at 0`;
      folio_get(k, page);
      return null;
    },
    absent: (k) => {
      resurrected = raw(k, page) === 0;
      setPageRefcount(k, page, raw(k, page) + 1);
    },
    undo: (k) => (resurrected ? setPageRefcount(k, page, raw(k, page) - 1) : folio_put(k, page)),
    passed: (k, ref) => `${fn}() takes a speculative reference on ${hex(page)}: +1 refcount ${ref} → ${raw(k, page)}`,
    offText: 'the reference is taken by a plain get, not folio_try_get() (on a page at refcount 0 that resurrects it)',
  };
}

/** folio_trylock(): PG_locked test-and-set. Switched off, the page is not locked at all. */
export function pageTrylock(page: number, atomicWhy?: string): GuardStage {
  return {
    guard: 'trylock', fn: 'folio_trylock', file: 'include/linux/pagemap.h', atomicWhy,
    attempt: (k) => {
      if (testPageFlag(k, page, PG.locked)) return 'trylock failed: another task holds PG_locked';
      setPageFlag(k, page, PG.locked);
      return null;
    },
    undo: (k) => clearPageFlag(k, page, PG.locked),
    release: (k) => clearPageFlag(k, page, PG.locked),
    passed: () => `folio_trylock() on ${hex(page)} succeeds: PG_locked set`,
    offText: 'the page lock is not taken',
  };
}

/**
 * The isolated flag, tested under the page lock (6.18's PG_movable_ops_isolated, 6.12's
 * PG_isolated, both the PG_reclaim bit) and set only at the commit (isolatedCommit).
 */
export function isolatedFlagTest(page: number, flag: string, atomicWhy?: string): GuardStage {
  return {
    guard: 'isolated-flag', fn: flag === 'PG_isolated' ? 'folio_test_isolated' : 'PageMovableOpsIsolated', file: 'include/linux/page-flags.h', atomicWhy,
    attempt: (k) => (testPageFlag(k, page, PG.reclaim) ? `${flag} already set` : null),
    passed: () => `${flag} is clear on ${hex(page)}: nobody has it isolated`,
    offText: `${flag} is not tested`,
  };
}

/**
 * The isolated flag's atomic test-and-set (the no-refcount design's only guard, no page lock):
 * cleared again at a later back-off.
 */
export function isolatedFlagTestAndSet(page: number, flag = 'PG_movable_ops_isolated', atomicWhy?: string): GuardStage {
  return {
    guard: 'isolated-flag', fn: 'test_and_set_bit', file: 'include/linux/page-flags.h', atomicWhy,
    attempt: (k) => {
      if (testPageFlag(k, page, PG.reclaim)) return `${flag} already set`;
      setPageFlag(k, page, PG.reclaim);
      return null;
    },
    undo: (k) => clearPageFlag(k, page, PG.reclaim),
    passed: () => `test-and-set of ${flag} on ${hex(page)} succeeds: it is ours`,
    offText: `${flag} is set without testing it`,
    absent: (k) => setPageFlag(k, page, PG.reclaim),
  };
}

/** The owner's isolate_page(): `isolate` does it and says why not (null: done), `say` the success. */
export function driverIsolate(page: number, fn: string, file: string, isolate: (k: Kernel) => string | null, undo: ((k: Kernel) => void) | undefined, say: (k: Kernel) => string, atomicWhy?: string): GuardStage {
  return { guard: 'driver', fn, file, attempt: isolate, undo, passed: (k) => say(k), atomicWhy };
}

/** A plain check that keeps nobody out but ends the attempt (the page is not what the path takes). */
export function plainCheck(fn: string, file: string, fails: (k: Kernel) => string | null, atomicWhy?: string): GuardStage {
  return { guard: null, fn, file, attempt: fails, atomicWhy };
}

/**
 * The commit: set the isolated flag, record the isolation reference; the page lock is released
 * after it. The kernel warns first if the flag is already set (VM_WARN_ON_ONCE_PAGE in 6.18,
 * WARN_ON_ONCE in 6.12): with the guards in force that never happens; with one switched off a
 * second migrator gets here, and the model stops it at the warning (a real kernel would go on to
 * thread the page onto two migration lists) — its driver isolation stays counted, for the
 * invariants to find.
 */
export function isolatedCommit(page: number, fn: string, file: string, say: string, flag = 'PG_movable_ops_isolated'): GuardStage {
  return {
    guard: null, fn, file,
    attempt: (k) => {
      if (testPageFlag(k, page, PG.reclaim)) return `VM_WARN_ON_ONCE_PAGE: ${flag} is already set at the commit — a second migrator got past the guards`;
      setPageFlag(k, page, PG.reclaim);
      addHolder(k.st, k.pins, page, HOLD.ISOLATED);
      return null;
    },
    passed: () => say,
  };
}

/** The Exclusion a race's step carries when a guard failed there; none outside a race. */
export const raceExclusion = (k: Kernel, guard: GuardKind, why: string): { excluded?: { guard: GuardKind; why: string } } =>
  (k.raced ? { excluded: { guard, why } } : {});
