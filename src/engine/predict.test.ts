// The prediction figure: the comparison itself on small inputs, and compact_memory on each real
// capture's imported `before` against its after.buddyinfo (../shared/reference/real-kernel), with
// a ceiling so that a change that makes the model predict worse fails here, not only in the bench.
import { zonePcpPages } from '../kernel/pcp';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { importDump } from '../kernel/import/rebuild';
import { checkInvariants } from '../kernel/invariants';
import { populate } from '../kernel/populate';
import { buddyinfo } from '../kernel/procfs';
import { compareFreeAreas, comparePrediction, deltaLine, predictionText } from './predict';
import { findPreset } from './presets';
import { populateSpecOf } from './scenario';
import { openImportedSession } from './session';
import { runToEnd } from './timeline';
import { captureSet, REFERENCE } from '../reference.testkit';

const REAL = REFERENCE + 'real-kernel/';
const SET = captureSet(['balloon-compact', 'fragmented-compact'], 'after.buddyinfo', REAL);
const CAPTURES = SET.dirs;

describe('comparing free blocks per order with a real buddyinfo', () => {
  const k = populate(populateSpecOf(findPreset('small')!.scenario));
  test('its own buddyinfo is a perfect prediction', () => {
    const p = comparePrediction(k, buddyinfo(k));
    expect(p.error).toBe(0);
    expect(p.deltaBlocks.every((d) => d === 0)).toBe(true);
    expect(p.realFreePages).toBe(p.simulatedFreePages);
  });
  test('a block of order 3 more and two of order 0 fewer: Δ per order and Σ|Δ pages| over the real free pages', () => {
    const own = buddyinfo(k).split('\n');
    const dma32 = own.findIndex((l) => l.includes('DMA32'));
    const cells = own[dma32]!.trim().split(/\s+/);
    const counts = cells.slice(4).map(Number);
    counts[0]! += 2;
    counts[3]! -= 1;
    own[dma32] = `Node 0, zone    DMA32 ${counts.join(' ')}`;
    const p = comparePrediction(k, own.join('\n'));
    expect(p.deltaBlocks.slice(0, 4)).toEqual([-2, 0, 0, 1]);
    expect(p.absDeltaPages.slice(0, 4)).toEqual([2, 0, 0, 8]);
    expect(p.error).toBeCloseTo(10 / p.realFreePages, 12);
    expect(deltaLine(p)).toBe('Δ blocks by order 0..10: -2 0 0 +1 0 0 0 0 0 0 0');
    expect(predictionText(p, 'x')).toMatch(/DMA32 Δ +-2 +0 +0 +\+1 /);
  });
  test('zones of one name on two nodes are summed; a zone the model lacks counts as all missing', () => {
    const p = comparePrediction(k, `${buddyinfo(k)}Node 1, zone   Normal      4      0      0      0      0      0      0      0      0      0      1\n`);
    expect(p.zones.map((z) => z.zone)).toContain('Normal');
    expect(p.deltaBlocks[0]).toBe(-4);
    expect(p.deltaBlocks[10]).toBe(-1);
  });
});

/**
 * What the capture's own two buddyinfo files say, without the model: `noChange`, the error of
 * predicting that compaction changed nothing (its before as the after), the bound any prediction
 * worth having beats; and `floor`, the change in free pages between the snapshots over the real
 * free pages: compaction moves pages and frees none, so the pages the real kernel let go or took
 * in meanwhile (per-CPU lists, other tasks: the capture README's caveats) are misplaced by any
 * prediction of the compaction alone.
 */
function bounds(dir: string): { noChange: number; floor: number } {
  const before = readFileSync(dir + 'before.buddyinfo', 'utf8');
  const after = readFileSync(dir + 'after.buddyinfo', 'utf8');
  const areas = new Map<string, number[]>();
  for (const l of before.trim().split('\n')) {
    const cells = l.trim().split(/\s+/); // Node 0, zone DMA32 n0 … n10
    const acc = areas.get(cells[3]!) ?? new Array<number>(11).fill(0);
    cells.slice(4).forEach((n, o) => (acc[o]! += Number(n)));
    areas.set(cells[3]!, acc);
  }
  const noChange = compareFreeAreas(areas, after);
  return { noChange: noChange.error, floor: Math.abs(noChange.simulatedFreePages - noChange.realFreePages) / noChange.realFreePages };
}

/** Import a capture's before, run compact_memory; the prediction and whether compaction freed anything. */
function compactCapture(dir: string, name: string) {
  const text = (f: string): string => readFileSync(dir + f, 'utf8');
  const s = openImportedSession(importDump({
    name, kpageflags: readFileSync(dir + 'before.kpageflags'), kpagecount: readFileSync(dir + 'before.kpagecount'),
    buddyinfo: text('before.buddyinfo'), pagetypeinfo: text('before.pagetypeinfo'), zoneinfo: text('before.zoneinfo'),
  }), [{ type: 'compact' }]);
  const pcpPages = (): number => s.k.zones.reduce((n, z) => n + zonePcpPages(s.k, z.idx), 0);
  const freeBefore = comparePrediction(s.k, text('after.buddyinfo')).simulatedFreePages + pcpPages();
  runToEnd(s.t);
  expect(s.t.failure).toBeNull();
  expect(checkInvariants(s.k)).toEqual([]);
  const p = comparePrediction(s.k, text('after.buddyinfo'));
  // Compaction moves pages, it does not free them: the free pages, in the buddy lists or waiting
  // on a per-CPU list (the migrated-away sources), are the imported ones.
  expect(p.simulatedFreePages + pcpPages()).toBe(freeBefore);
  return p;
}

/**
 * The bounds argued from the capture: no better than its floor (else the comparison or the model
 * frees pages), and it explains most of what compaction did: under half the error of predicting
 * no change (1.03 and 1.30 for the 6.1 captures, 1.22 and 1.05 for 6.12: compaction rearranged
 * more free pages than the machines had free).
 */
function expectWithinCaptureBounds(dir: string, error: number): void {
  const { noChange, floor } = bounds(dir);
  expect(noChange).toBeGreaterThan(1);
  expect(error).toBeGreaterThanOrEqual(floor);
  expect(error).toBeLessThan(noChange / 2);
}

SET.describe('compact_memory on a real capture\'s before, against its after.buddyinfo', () => {
  test.each(CAPTURES)('%s', (name) => {
    const p = compactCapture(`${REAL}${name}/`, name);
    // DMA (no movable page in it) is predicted exactly.
    expect(p.zones.find((z) => z.zone === 'DMA')).toMatchObject({ simulated: p.zones.find((z) => z.zone === 'DMA')!.real });
    expectWithinCaptureBounds(`${REAL}${name}/`, p.error);
    // The model's own number, kept as a ratchet: 10 % of the real free pages, set above the
    // errors when this was written (6.1 % and 7.8 %) so that a change making the prediction
    // worse fails here and not only in the bench, which prints the figure to drive down.
    expect(p.error).toBeLessThan(0.1);
  }, 60_000); // ~2 s each: an import and a 140 k–210 k-step compaction
});

// The 6.12 captures (mlocked pages, THPs, a long-term pin, 4,500–6,300 pages on per-CPU lists):
// the prediction is far from the 5 % target (20.5 % and 43.9 % when this was written; the bench
// names what drives it). Beside the bounds argued from the capture, CEILING_612 is the model's
// own: set above those errors, it only catches the prediction getting worse.
const REAL_612 = REFERENCE + 'real-kernel-6.12/';
const SET_612 = captureSet(['balloon-compact', 'fragmented-compact'], 'after.buddyinfo', REAL_612);
const CAPTURES_612 = SET_612.dirs;
const CEILING_612: Record<string, number> = { 'fragmented-compact': 0.25, 'balloon-compact': 0.5 };

SET_612.describe('compact_memory on a 6.12 capture\'s before, against its after.buddyinfo', () => {
  test.each(CAPTURES_612)('%s', (name) => {
    const { error } = compactCapture(`${REAL_612}${name}/`, name);
    expectWithinCaptureBounds(`${REAL_612}${name}/`, error);
    expect(error).toBeLessThan(CEILING_612[name] ?? 0.5);
  }, 120_000);
});
