// The struct migrate_vma in progress at the current step (mm/migrate_device.c): who filled it
// (migrate_vma_setup() over a user range, or migrate_device_range() over device PFNs), npages,
// cpages and the fault page, then src[] and dst[] entry by entry with their MIGRATE_PFN_* flags.
// A src entry that lost MIGRATE is a page that stays where it is: its row is greyed and says so.
// The rows whose pages the current step touches are marked and scrolled into view. Shown only
// while one is in progress; up to 64 rows, scrolled inside a bounded height so the narration
// and the charts keep theirs.
import { useEffect, useRef } from 'react';
import { selectPfn } from './state/simClient';
import { useSim, type SimState } from './state/store';
import { hex } from './format';
import {
  decodeMpfn, entriesTouched, entryAt, FLAG_LETTERS, FLAG_TITLES, FLAGS, holeText, mpfnText, sameMigrateVma, srcNotMigrating,
  type MigrateVma as View, type MpfnFlag, type PfnRange,
} from './mpfn';

let shown: View | null = null;
/** Every frame carries a new view: the panel re-renders only when an entry or a count changed. */
const selectMigrateVma = (s: SimState): View | null => {
  const now = s.meta?.migrateVma ?? null;
  if (!sameMigrateVma(now, shown)) shown = now;
  return shown;
};
/** The current step's pages, as a string so an unchanged list does not re-render the panel. */
const selectStepPages = (s: SimState): string => JSON.stringify(s.meta?.stepInfo?.pfns.map((p) => ({ pfn: p.pfn, nr: p.nr ?? 1 })) ?? []);

function PfnLink({ pfn, testId }: { readonly pfn: number; readonly testId?: string }) {
  return (
    <button type="button" className="pfn-link" title={`Inspect PFN ${hex(pfn)}`} data-testid={testId} onClick={() => selectPfn(pfn)}>
      {hex(pfn)}
    </button>
  );
}

/** VALID, MIGRATE and WRITE as one-letter chips, each in its own slot (an empty slot when clear). */
function Flags({ flags }: { readonly flags: readonly MpfnFlag[] }) {
  return (
    <span className="mv-flags" data-flags={flags.join('|')}>
      {FLAGS.map((f) =>
        flags.includes(f) ? (
          <span key={f} className="mv-flag" data-flag={f} title={FLAG_TITLES[f]}>
            {FLAG_LETTERS[f]}
          </span>
        ) : (
          <span key={f} className="mv-flag off" aria-hidden="true" />
        ),
      )}
    </span>
  );
}

/** One src[] or dst[] entry: its PFN and its flags, a hole, or 0. */
function Entry({ e, which }: { readonly e: number; readonly which: 'src' | 'dst' }) {
  const m = decodeMpfn(e);
  if (m.kind === 'empty') {
    const why = which === 'src'
      ? 'src 0: nothing to migrate here: not collected (yet), skipped by collect, or dropped by migrate_vma_setup() after its page could not be unmapped (the page stays mapped)'
      : 'dst 0: no destination (yet): the driver fills dst[] only for entries still marked MIGRATE';
    return (
      <span className="mv-page mv-empty" title={why}>
        0
      </span>
    );
  }
  if (m.kind === 'hole') {
    return (
      <>
        <span
          className="mv-page mv-hole"
          title={`${holeText(m.flags)}: a pte_none slot of an anonymous VMA; the driver may put a new page there (migrate_vma_insert_page)`}
        >
          hole
        </span>
        <Flags flags={m.flags} />
      </>
    );
  }
  return (
    <>
      <span className="mv-page">
        <PfnLink pfn={m.pfn} />
      </span>
      <Flags flags={m.flags} />
    </>
  );
}

function Header({ v }: { readonly v: View }) {
  const vma = v.kind === 'vma';
  return (
    <div className="mv-head">
      <p>
        <code
          className="mv-kind"
          data-testid="migrate-vma-kind"
          title={vma ? 'struct migrate_vma as migrate_vma_setup() filled it: src[] over a user address range' : 'migrate_device_range(): src[] over device PFNs, no VMA (a driver evicting its memory)'}
        >
          {vma ? 'migrate_vma_setup()' : 'migrate_device_range()'}
        </code>
        <span className="muted">{vma ? 'start' : 'start pfn'}</span>
        {vma ? <code data-testid="migrate-vma-start">{hex(v.start)}</code> : <PfnLink pfn={v.start} testId="migrate-vma-start" />}
      </p>
      <p>
        <span title="npages: entries in src[] and dst[]">
          <code className="muted">npages</code> <span className="count" data-testid="migrate-vma-npages">{v.npages}</span>
        </span>
        <span title="cpages: the entries collect took (marked MIGRATE)">
          <code className="muted">cpages</code> <span className="count" data-testid="migrate-vma-cpages">{v.cpages}</span>
        </span>
        {v.faultPage >= 0 && (
          <span title="fault_page: the device-private page a CPU fault is bringing back (migrate_to_ram), already locked by the fault">
            <code className="muted">fault_page</code> <PfnLink pfn={v.faultPage} testId="migrate-vma-fault" />
          </span>
        )}
        <span className="mv-key" aria-label="flags: V VALID, M MIGRATE, W WRITE">
          {FLAGS.map((f) => (
            <span key={f} title={FLAG_TITLES[f]}>
              <span className="mv-flag" data-flag={f}>
                {FLAG_LETTERS[f]}
              </span>
              {f.slice(1)}
            </span>
          ))}
        </span>
      </p>
    </div>
  );
}

export function MigrateVma() {
  const v = useSim(selectMigrateVma);
  const stepPages = useSim(selectStepPages);
  const rowsRef = useRef<HTMLDivElement>(null);
  const touched = v ? entriesTouched(v, JSON.parse(stepPages) as PfnRange[]) : [];
  const first = touched[0] ?? -1;
  // Bring the first marked row into the table's own scroll area (not the page's): the step's entry stays in sight.
  useEffect(() => {
    const box = rowsRef.current;
    const row = first >= 0 ? box?.querySelector<HTMLElement>(`tr[data-index="${first}"]`) : null;
    if (!box || !row) return;
    const head = box.querySelector('thead')?.offsetHeight ?? 0;
    if (row.offsetTop - head < box.scrollTop) box.scrollTop = row.offsetTop - head;
    else if (row.offsetTop + row.offsetHeight > box.scrollTop + box.clientHeight) box.scrollTop = row.offsetTop + row.offsetHeight - box.clientHeight;
  }, [first, v]);
  if (!v) return null;
  const marked = new Set(touched);
  const rows = Array.from({ length: v.npages }, (_, i) => i);
  return (
    <section className="panel migrate-vma" aria-label="migrate_vma" data-testid="migrate-vma" data-kind={v.kind}>
      <Header v={v} />
      <div className="mv-rows" ref={rowsRef}>
        <table>
          <thead>
            <tr>
              <th scope="col" title="the entry's index in src[] and dst[]">i</th>
              <th scope="col">{v.kind === 'vma' ? 'address' : 'pfn'}</th>
              <th scope="col" title="src[i]: the page collected, as migrate_pfn(pfn) | flags; 0 when nothing was collected (or it was restored)">src</th>
              <th scope="col" title="dst[i]: the page the driver allocated for it, 0 until then">dst</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => {
              const src = v.src[i] ?? 0;
              const dst = v.dst[i] ?? 0;
              const lost = srcNotMigrating(src);
              const cls = [lost ? 'not-migrating' : src === 0 ? 'skipped' : '', marked.has(i) ? 'current' : ''].filter(Boolean).join(' ');
              return (
                <tr
                  key={i}
                  data-testid="migrate-vma-row"
                  data-index={i}
                  className={cls || undefined}
                  title={`src[${i}] = ${mpfnText(src)}, dst[${i}] = ${mpfnText(dst)}`}
                >
                  <td className="mv-i">{i}</td>
                  <td className="mv-at">{v.kind === 'vma' ? <code>{hex(entryAt(v, i))}</code> : <PfnLink pfn={entryAt(v, i)} />}</td>
                  <td data-testid="migrate-vma-src">
                    <Entry e={src} which="src" />
                  </td>
                  <td data-testid="migrate-vma-dst">
                    <Entry e={dst} which="dst" />
                    {lost && (
                      <span
                        className="mv-note"
                        data-testid="migrate-vma-not-migrating"
                        title="src lost MIGRATE_PFN_MIGRATE: this page was given up on (an extra reference, a failed check or copy) and stays where it is"
                      >
                        not migrating
                      </span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
