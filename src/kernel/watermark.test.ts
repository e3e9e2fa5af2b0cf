// lowmem_reserve (setup_per_zone_lowmem_reserve, __zone_watermark_ok in mm/page_alloc.c): what
// /proc/zoneinfo prints as `protection:`, checked against the real captures, and what it does to
// an allocation falling back from DMA32 to DMA.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { __alloc_pages, __GFP_DMA, GFP_KERNEL } from './buddy';
import { defaultLayout } from './kernel';
import { importDump } from './import/rebuild';
import { boot } from './populate';
import { zoneinfo } from './procfs';
import { lowmem_reserve, zoneWatermarks } from './watermark';
import { zone_page_state, ZS } from './vmstat';
import { captureSet, REFERENCE } from '../reference.testkit';

const SET = captureSet(['real-kernel/fragmented-compact', 'real-kernel-6.12/fragmented-compact'], 'before.zoneinfo');
const DIRS = SET.dirs;

/** zone name → [managed, protection[]] from a zoneinfo text. */
function zones(text: string): Map<string, { managed: number; protection: number[] }> {
  const out = new Map<string, { managed: number; protection: number[] }>();
  for (const block of text.split(/^Node \d+, zone\s+/m).slice(1)) {
    const name = block.split(/\s/)[0]!;
    const managed = Number(/^\s+managed\s+(\d+)$/m.exec(block)?.[1]);
    const protection = (/^\s+protection: \(([\d, ]+)\)$/m.exec(block)?.[1] ?? '').split(', ').filter(Boolean).map(Number);
    out.set(name, { managed, protection });
  }
  return out;
}

SET.describe('zoneinfo protection of the real 512 MiB machines', () => {
  it.each(DIRS)('%s: each zone prints the lowmem_reserve 6.18 computes from its managed pages', (dir) => {
    const p = `${REFERENCE}${dir}/before`;
    const realText = readFileSync(p + '.zoneinfo', 'utf8');
    const r = importDump({
      name: dir, kpageflags: new Uint8Array(readFileSync(p + '.kpageflags')), kpagecount: new Uint8Array(readFileSync(p + '.kpagecount')),
      buddyinfo: readFileSync(p + '.buddyinfo', 'utf8'), pagetypeinfo: readFileSync(p + '.pagetypeinfo', 'utf8'), zoneinfo: realText,
    });
    const real = zones(realText);
    const ours = zones(zoneinfo(r.k));
    // DMA32 reserves nothing: no zone above it has pages. The line is the real one, byte for byte.
    expect(ours.get('DMA32')!.protection).toEqual(real.get('DMA32')!.protection);
    expect(ours.get('DMA32')!.managed).toBe(real.get('DMA32')!.managed);
    // DMA keeps DMA32's managed pages / 256 from every request that could use DMA32 or above.
    const dma32 = real.get('DMA32')!.managed;
    expect(ours.get('DMA')!.protection).toEqual([0, 1, 2, 3, 4].map((j) => (j === 0 ? 0 : Math.floor(dma32 / 256))));
    // 6.1 and 6.12 computed it once at boot, before the initrd and init memory were freed
    // (dmesg's "Freeing initrd/unused ..." lines); 6.18 recomputes it as managed pages change.
    const dmesg = readFileSync(`${REFERENCE}${dir}/dmesg.txt`, 'utf8');
    const freedLater = [...dmesg.matchAll(/Freeing (?:initrd|unused [^:]*) memory: (\d+)K/g)].reduce((a, m) => a + Number(m[1]) / 4, 0);
    expect(real.get('DMA')!.protection).toEqual([0, 1, 2, 3, 4].map((j) => (j === 0 ? 0 : Math.floor((dma32 - freedLater) / 256))));
  }, 60_000);
});

describe('lowmem_reserve in the allocator', () => {
  it('a GFP_KERNEL request falls back to DMA only while DMA stays above min + lowmem_reserve; a GFP_DMA request may go on', () => {
    const k = boot(defaultLayout(0x4000)); // DMA and DMA32
    const wm = zoneWatermarks(k);
    const reserve = lowmem_reserve(k, 0, 1);
    expect(reserve).toBe(Math.floor(wm[1]!.managed / 256));
    expect(reserve).toBeGreaterThan(0);
    // Use up DMA32 with order-0 GFP_KERNEL pages; then they come from DMA until its reserve.
    let fromDma = 0;
    for (let pfn = __alloc_pages(k, GFP_KERNEL, 0); pfn >= 0; pfn = __alloc_pages(k, GFP_KERNEL, 0)) if (pfn < 0x1000) fromDma++;
    expect(fromDma).toBeGreaterThan(0);
    // It stopped at the reserve, not at the min watermark nor at an empty zone.
    const dmaFree = zone_page_state(k, 0, ZS.NR_FREE_PAGES);
    expect(dmaFree).toBeLessThanOrEqual(wm[0]!.min + reserve);
    expect(dmaFree).toBeGreaterThan(wm[0]!.min);
    // DMA is the GFP_DMA request's own zone: its lowmem_reserve[DMA] is 0.
    expect(lowmem_reserve(k, 0, 0)).toBe(0);
    expect(__alloc_pages(k, __GFP_DMA, 0)).toBeGreaterThanOrEqual(0);
  });
});
