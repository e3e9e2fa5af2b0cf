import { describe, expect, it } from 'vitest';
import { gridLayout } from './render';
import { layoutScanners, LABEL_H, POINTER, type ScannerMark } from './scannerLayout';
import { cellsRect, centreOn, fitViewport, gridBase, type Camera } from './viewport';

// The compact-memory machine: 64 pageblocks, DMA then DMA32.
const base = gridBase(gridLayout(32768), 640, 420, 1);
const fit: Camera = { base, v: fitViewport(base) };
const zones = [{ name: 'DMA' }, { name: 'DMA32' }];
const measure = (t: string): number => t.length * 6;
const run = { zone: 1, order: -1, migratePfn: 0x2420, freePfn: 0x7301 };
const byKind = (ms: readonly ScannerMark[], kind: string): ScannerMark => ms.find((m) => m.kind === kind)!;

describe('layoutScanners', () => {
  it('frames each scanner row and points at its cell, the migrate label above, the free label below', () => {
    const { marks } = layoutScanners(fit, [run], zones, measure);
    const m = byKind(marks, 'migrate');
    const f = byKind(marks, 'free');
    expect(m.text).toBe('migrate scanner 0x2420');
    expect(f.text).toBe('free scanner 0x7301');
    const mRow = cellsRect(base, fit.v, 0, 0x12, base.cols, 1);
    expect(m.row).toEqual(mRow);
    expect(m.cell).toEqual(cellsRect(base, fit.v, 0x20, 0x12, 1, 1));
    expect(m.label.y + m.label.h + POINTER).toBe(mRow.y);
    expect(m.tip).toEqual({ x: m.cell!.x + m.cell!.w / 2, y: mRow.y });
    const fRow = cellsRect(base, fit.v, 0, 0x39, base.cols, 1);
    expect(f.label.y).toBe(fRow.y + fRow.h + POINTER);
    expect(f.off).toBeNull();
  });

  it('flips a label that would leave the plot: the free scanner starts in the last row', () => {
    const { marks } = layoutScanners(fit, [{ ...run, migratePfn: 0x1000, freePfn: 0x7e00 }], zones, measure);
    const f = byKind(marks, 'free');
    expect(f.label.y + LABEL_H).toBeLessThanOrEqual(cellsRect(base, fit.v, 0, 0x3f, 1, 1).y);
    expect(f.label.y + f.label.h).toBeLessThanOrEqual(base.plot.bottom);
  });

  it('keeps two labels apart when the scanners are about to meet', () => {
    const { marks } = layoutScanners(fit, [{ ...run, migratePfn: 0x4200, freePfn: 0x4230 }], zones, measure);
    const [a, b] = marks.map((x) => x.label);
    const overlap = a!.x < b!.x + b!.w && b!.x < a!.x + a!.w && a!.y < b!.y + b!.h && b!.y < a!.y + a!.h;
    expect(overlap).toBe(false);
  });

  it('pins the label of a scanner out of view to the plot edge, with the way to it', () => {
    const cam: Camera = { base, v: centreOn(base, 0x2420, 16) };
    const { marks } = layoutScanners(cam, [run], zones, measure);
    const f = byKind(marks, 'free');
    expect(f.off).toBe('below');
    expect(f.text).toBe('▼ free scanner 0x7301');
    expect(f.row).toBeNull();
    expect(f.label.y + f.label.h).toBeLessThanOrEqual(base.plot.bottom);
    expect(byKind(marks, 'migrate').off).toBeNull();
  });

  it('moves a label along its row off the pages the step outlines, but not to the other side for a whole row', () => {
    const free = { ...run, freePfn: 0x7301 };
    const plain = byKind(layoutScanners(fit, [free], zones, measure).marks, 'free');
    const hidden = plain.label; // the step outlines exactly what the label would cover
    const moved = byKind(layoutScanners(fit, [free], zones, measure, [hidden]).marks, 'free');
    expect(moved.label.y).toBe(plain.label.y);
    expect(moved.label.x).not.toBe(plain.label.x);
    expect(moved.tip).toEqual(plain.tip);
    const wholeRow = cellsRect(base, fit.v, 0, 0x3a, base.cols, 1);
    expect(byKind(layoutScanners(fit, [free], zones, measure, [wholeRow]).marks, 'free').label).toEqual(plain.label);
  });

  it('names the zone in the labels only when more than one compaction runs', () => {
    const two = [{ ...run, zone: 0, migratePfn: 0x200, freePfn: 0xe00 }, run];
    const { marks } = layoutScanners(fit, two, zones, measure);
    expect(marks.map((m) => m.text)).toEqual([
      'migrate scanner 0x200 (DMA)', 'free scanner 0xe00 (DMA)', 'migrate scanner 0x2420 (DMA32)', 'free scanner 0x7301 (DMA32)',
    ]);
  });

  it('draws nothing when no compaction runs', () => {
    expect(layoutScanners(fit, [], zones, measure)).toEqual({ marks: [] });
  });
});
