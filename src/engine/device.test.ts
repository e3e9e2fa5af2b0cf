// Device migration (mm/migrate_device.c, 6.18) through its presets: the src[]/dst[] entries and
// their flags at each phase, the refcounts, the invariants, and that every page of a process
// ends in exactly one place — its PTE or device-private entry pointing at a page that carries
// its (anon_vma, index), i.e. its contents.

import { describe, expect, test } from 'vitest';
import { anonMapping, pteBits, pteIsDevicePrivate, ptePfn, ptePresent, PTE_WRITE, type Vma } from '../kernel/vm';
import { isZoneDevice, deviceFreeCount } from '../kernel/device';
import { migrateVmaView, MIGRATE_PFN_WRITE } from '../kernel/migrate_device';
import { MIGRATE_PFN_MIGRATE, MIGRATE_PFN_VALID } from '../kernel/movable-pfn-array';
import { page_folio } from '../kernel/folio';
import { firstAnonVma } from '../kernel/paths';
import type { Kernel } from '../kernel/kernel';
import { findPreset } from './presets';
import { parseScenario } from './scenario';
import { openSession } from './session';
import { runToEnd, seek, type Step, allSteps } from './timeline';
import { checkSteps } from './steps.testkit';

const heap = (k: Kernel, process: number): Vma => firstAnonVma(k, process) as Vma;
const run = (name: string) => {
  const s = openSession(findPreset(name)!.scenario);
  runToEnd(s.t);
  return s;
};
const stepsOf = (steps: readonly Step[], action: number): Step[] => steps.filter((x) => x.action === action);

/** Every mapped slot of every anonymous VMA points at a page holding that slot's (anon_vma, index). */
function everyPageInOnePlace(k: Kernel): void {
  const owner = new Map<number, string>();
  for (const vma of k.vm.vmas) {
    if (vma.anonVma < 0) continue;
    for (let s = 0; s < vma.nrPages; s++) {
      const pte = vma.pte.a[s]!;
      if (!ptePresent(pte) && !pteIsDevicePrivate(pte)) continue;
      const page = ptePfn(pte);
      const folio = page_folio(k, page);
      expect(k.mem.mapping.a[folio], `vma ${vma.id} slot ${s}`).toBe(anonMapping(vma.anonVma));
      expect(k.mem.index.a[folio]! + (page - folio), `vma ${vma.id} slot ${s}`).toBe(vma.pgoff + s);
      expect(pteIsDevicePrivate(pte)).toBe(isZoneDevice(k, page));
      const key = `${vma.anonVma}:${vma.pgoff + s}`;
      const prev = owner.get(page);
      if (prev !== undefined) expect(prev).toBe(key); // a forked page: one page, one (anon_vma, index)
      owner.set(page, key);
    }
  }
}

describe('migrate-vma-to-device', () => {
  const s = openSession(findPreset('migrate-vma-to-device')!.scenario);
  const vma = heap(s.k, 1);
  const before = Array.from({ length: 16 }, (_, i) => vma.pte.a[i]!);
  runToEnd(s.t);
  const steps = allSteps(s.t);

  test('collect fills src[] with migrate_pfn(pfn) | MIGRATE (| WRITE for a writable PTE); dst[] stays 0 until the driver fills it', () => {
    const setupDone = stepsOf(steps, 0).find((x) => x.fn === 'migrate_vma_setup' && x.result === '0')!;
    seek(s.t, setupDone.id);
    const v = migrateVmaView(s.k)!;
    expect(v.kind).toBe('vma');
    expect(v.npages).toBe(16);
    expect(v.cpages).toBe(16);
    expect(v.start).toBe(vma.start * 4096);
    before.forEach((pte, i) => {
      expect(ptePresent(pte)).toBe(true);
      const want = ptePfn(pte) * 64 + MIGRATE_PFN_VALID + MIGRATE_PFN_MIGRATE + (pteBits(pte) & PTE_WRITE ? MIGRATE_PFN_WRITE : 0);
      expect(v.src[i]).toBe(want);
    });
    expect(v.dst.every((d) => d === 0)).toBe(true);
    // The pages are locked and isolated, their PTEs migration entries; collect's reference was
    // traded for the isolation reference: refcount 1, mapcount 0 (the child's PTE went too).
    for (const pte of before) {
      const p = ptePfn(pte);
      expect(s.k.mem.refcount.a[p]).toBe(1);
      expect(s.k.mem.mapcount.a[p]).toBe(-1);
    }
  });

  test('the driver takes device pages from its pool (a stack: the highest PFN first) and records them in dst[]', () => {
    const allocs = stepsOf(steps, 0).filter((x) => x.fn === 'dmirror_migrate_alloc_and_copy');
    expect(allocs).toHaveLength(16);
    seek(s.t, allocs[15]!.id);
    const v = migrateVmaView(s.k)!;
    v.dst.forEach((d, i) => expect(d).toBe((0x2000 + 511 - i) * 64 + MIGRATE_PFN_VALID));
  });

  test('afterwards every slot is a device-private entry to its dst page; the forked child\'s too; the old pages are free', () => {
    seek(s.t, steps.length);
    expect(migrateVmaView(s.k)).toBeNull();
    const child = heap(s.k, 6);
    before.forEach((pte, i) => {
      const now = vma.pte.a[i]!;
      expect(pteIsDevicePrivate(now)).toBe(true);
      const d = ptePfn(now);
      expect(d).toBe(0x2000 + 511 - i);
      expect(child.pte.a[i]).toBe(now); // remove_migration_ptes() walked both VMAs of the anon_vma
      expect(s.k.mem.refcount.a[d]).toBe(2); // one per device-private entry
      expect(s.k.mem.refcount.a[ptePfn(pte)]).toBe(0);
    });
    everyPageInOnePlace(s.k);
  });

  test('a THP is split before collect; an mTHP stays (PageTransCompound: 0); holes get new device pages', () => {
    const thp = stepsOf(steps, 1);
    expect(thp.some((x) => x.fn === 'migrate_vma_collect_pmd' && x.phase === 'split')).toBe(true);
    expect(thp.at(-1)!.result).toBe('8');
    const mixed = stepsOf(steps, 2);
    const collected = mixed.filter((x) => x.fn === 'migrate_vma_collect_pmd').map((x) => x.text);
    expect(collected.filter((t) => /PageTransCompound/.test(t)).length).toBeGreaterThan(0);
    expect(collected.filter((t) => /pte_none in an anonymous VMA/.test(t)).length).toBeGreaterThan(0);
    expect(mixed.some((x) => x.fn === 'migrate_vma_insert_page')).toBe(true);
    const p2 = heap(s.k, 2);
    for (let slot = 32; slot < 36; slot++) expect(ptePresent(p2.pte.a[slot]!)).toBe(true); // the mTHP did not move
  });

  test('invariants hold at every step but the mid-operation ones', () => {
    expect(checkSteps(s, 1)).toBeGreaterThan(100);
  }, 120_000);
});

describe('device-fault-back', () => {
  const s = run('device-fault-back');

  test('the faulting page comes back to system memory alone; the device page returns to the driver\'s pool', () => {
    const fault = stepsOf(allSteps(s.t), 1);
    expect(fault[0]!.fn).toBe('do_swap_page');
    const devPage = fault[0]!.pfns[0]!.pfn;
    expect(isZoneDevice(s.k, devPage)).toBe(true);
    // migrate_vma_setup() with the fault page: one entry, SELECT_DEVICE_PRIVATE.
    const setup = fault.find((x) => x.fn === 'migrate_vma_setup' && x.result === '0')!;
    seek(s.t, setup.id);
    const v = migrateVmaView(s.k)!;
    expect(v.npages).toBe(1);
    expect(v.faultPage).toBe(devPage);
    expect(v.src[0]! & (MIGRATE_PFN_VALID | MIGRATE_PFN_MIGRATE)).toBe(MIGRATE_PFN_VALID | MIGRATE_PFN_MIGRATE);
    expect(Math.floor(v.src[0]! / 64)).toBe(devPage);
    seek(s.t, allSteps(s.t).length);
    const vma = heap(s.k, 1);
    expect(ptePresent(vma.pte.a[3]!)).toBe(true);
    expect(isZoneDevice(s.k, ptePfn(vma.pte.a[3]!))).toBe(false);
    expect(pteIsDevicePrivate(vma.pte.a[2]!)).toBe(true); // its neighbours stay on the device
    expect(s.k.mem.refcount.a[devPage]).toBe(0);
    expect(deviceFreeCount(s.k)).toBe(512 - 15);
    everyPageInOnePlace(s.k);
  });

  test('invariants hold at every step but the mid-operation ones', () => {
    expect(checkSteps(s, 1)).toBeGreaterThan(50);
  }, 120_000);
});

describe('device-range-evict', () => {
  const s = run('device-range-evict');

  test('every device page in use goes back, found by PFN: the pool is full again and no device-private entry is left', () => {
    const evict = stepsOf(allSteps(s.t), 2);
    const range = evict.find((x) => x.fn === 'migrate_device_range')!;
    seek(s.t, range.id);
    const v = migrateVmaView(s.k)!;
    expect(v.kind).toBe('range');
    expect(v.src.filter((e) => e & MIGRATE_PFN_MIGRATE).length).toBe(24);
    seek(s.t, allSteps(s.t).length);
    expect(evict.at(-1)!.result).toBe('24');
    expect(deviceFreeCount(s.k)).toBe(512);
    for (const vma of s.k.vm.vmas) for (let i = 0; i < vma.nrPages; i++) expect(pteIsDevicePrivate(vma.pte.a[i]!)).toBe(false);
    everyPageInOnePlace(s.k);
  });

  test('invariants hold at every step but the mid-operation ones', () => {
    expect(checkSteps(s, 1)).toBeGreaterThan(50);
  }, 120_000);
});

describe('migrate-vma-pinned', () => {
  const s = run('migrate-vma-pinned');

  test('the FOLL_GET and the FOLL_PIN page fail migrate_vma_check_page(), lose MIGRATE, and stay mapped where they were', () => {
    const pinned = [0, 1].map((a) => allSteps(s.t).find((x) => x.action === a)!.pfns[0]!.pfn);
    const restores = stepsOf(allSteps(s.t), 2).filter((x) => x.fn === 'migrate_device_unmap' && x.result === 'restore');
    expect(restores.map((x) => x.pfns[0]!.pfn).sort()).toEqual([...pinned].sort());
    expect(restores[0]!.text).toMatch(/refcount \d+ - 1 expected = \d+ > mapcount 0/);
    const setup = stepsOf(allSteps(s.t), 2).find((x) => x.fn === 'migrate_vma_setup' && x.result === '0')!;
    seek(s.t, setup.id);
    const v = migrateVmaView(s.k)!;
    expect(v.src[2]).toBe(0);
    expect(v.src[5]).toBe(0);
    expect(v.cpages).toBe(6);
    seek(s.t, allSteps(s.t).length);
    const vma = heap(s.k, 1);
    expect(ptePfn(vma.pte.a[2]!)).toBe(pinned[0]);
    expect(ptePfn(vma.pte.a[5]!)).toBe(pinned[1]);
    expect(ptePresent(vma.pte.a[2]!) && ptePresent(vma.pte.a[5]!)).toBe(true);
    expect(stepsOf(allSteps(s.t), 2).at(-1)!.result).toBe('6');
    everyPageInOnePlace(s.k);
  });

  test('invariants hold at every step but the mid-operation ones', () => {
    expect(checkSteps(s, 1)).toBeGreaterThan(20);
  }, 120_000);
});

describe('migrate_vma back to system memory, and exit with pages on the device', () => {
  const s = openSession(parseScenario({
    v: 1, memory: { pfns: 8192, device: 512 }, seed: 7, populate: { processes: 6, files: 12 },
    actions: [
      { type: 'migrate-vma', process: 1, pages: 8 },
      { type: 'migrate-vma', process: 1, pages: 8, to: 'system' },
      { type: 'migrate-vma', process: 1, start: 100, pages: 4 },
      { type: 'exit', process: 6 },
      { type: 'exit', process: 1 },
    ],
  }));
  runToEnd(s.t);

  test('MIGRATE_VMA_SELECT_DEVICE_PRIVATE brings the 8 pages back; exit zaps device-private entries and page_free() refills the pool', () => {
    expect(stepsOf(allSteps(s.t), 1).at(-1)!.result).toBe('8');
    const back = stepsOf(allSteps(s.t), 1).find((x) => x.fn === 'dmirror_devmem_fault_alloc_and_copy');
    expect(back).toBeDefined();
    expect(stepsOf(allSteps(s.t), 4).some((x) => x.fn === 'zap_nonpresent_ptes' && /page_free\(\)/.test(x.text))).toBe(true);
    expect(deviceFreeCount(s.k)).toBe(512);
  });

  test('invariants hold at every step but the mid-operation ones', () => {
    expect(checkSteps(s, 1)).toBeGreaterThan(50);
  }, 120_000);
});
