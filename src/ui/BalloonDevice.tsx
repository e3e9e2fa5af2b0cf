// The virtio balloon's own state at the current step: balloon_dev_info's pages list (threaded
// through page->lru) and isolated_pages, vb->balloon_lock, and, in the no-refcount variant, the
// PFN array that replaces the list. Shown only for scenarios that use the balloon.
import { selectPfn } from './state/simClient';
import { selectVariant, useSim, type SimState } from './state/store';
import { hex } from './format';

const selectBalloon = (s: SimState) => s.meta?.balloon ?? null;

function Pfns({ count, head }: { readonly count: number; readonly head: readonly number[] }) {
  return (
    <>
      <span className="count">{count}</span>
      {head.map((p) => (
        <button key={p} type="button" className="pfn-link" title={`Inspect PFN ${hex(p)}`} onClick={() => selectPfn(p)}>
          {hex(p)}
        </button>
      ))}
      {count > head.length && <span className="more">+{count - head.length}</span>}
    </>
  );
}

export function BalloonDevice() {
  const b = useSim(selectBalloon);
  const variant = useSim(selectVariant);
  if (!b) return null;
  const frozen = variant === 'no-refcount';
  return (
    <section className="panel balloon" aria-label="Balloon device" data-testid="balloon-device">
      <dl>
        <dt title="struct balloon_dev_info (include/linux/balloon_compaction.h)">
          <code>balloon_dev_info</code>
        </dt>
        <dd className="muted">virtio balloon, {variant}</dd>
        {frozen ? (
          <>
            <dt title="the no-refcount variant keeps its pages in a PFN array, not on a list through page->lru">PFN array</dt>
            <dd data-testid="balloon-array">
              <Pfns count={b.arrayed} head={b.arrayHead} />
            </dd>
          </>
        ) : (
          <>
            <dt title="balloon_dev_info->pages: the inflated pages, linked through page->lru">
              <code>pages</code> list
            </dt>
            <dd data-testid="balloon-pages">
              <Pfns count={b.listed} head={b.listHead} />
            </dd>
          </>
        )}
        {frozen ? (
          <dt title="the no-refcount design keeps no isolated_pages: the pages of its PFN array that carry PG_movable_ops_isolated (set by the migrator's test-and-set)">
            isolated <span className="muted">(PG_movable_ops_isolated)</span>
          </dt>
        ) : (
          <dt title="balloon_dev_info->isolated_pages: pages taken off the list by balloon_page_isolate() for migration">
            <code>isolated_pages</code>
          </dt>
        )}
        <dd>
          <span className="count" data-testid="balloon-isolated">{frozen ? b.arrayIsolated : b.isolated}</span>
          <span className="muted" title="vb->balloon_lock: held across inflate and deflate; virtballoon_migratepage() only trylocks it (-EAGAIN)">
            <code>balloon_lock</code> <span data-testid="balloon-lock">{b.locked ? 'held' : 'free'}</span>
          </span>
        </dd>
      </dl>
    </section>
  );
}
