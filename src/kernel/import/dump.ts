// Reading /proc/kpageflags and /proc/kpagecount dumps: one little-endian u64 per PFN each. A
// 24 GiB machine is 6 Mi PFNs (48 MiB per file), so nothing here allocates per PFN: the flags
// are read as two 32-bit halves through one Uint32Array over the file's own bytes (no copy when
// the bytes are 4-aligned, which an ArrayBuffer from a File or fs.readFileSync is). The checks
// refuse, in one line each, what is not such a dump: a text file, an odd size, two files of
// different lengths, flags no kernel sets, a mapcount no machine has.

import { KPF } from '../flags';
import { ImportError, type DumpFiles } from './types';

/**
 * The most PFNs an import may have: 8 Mi (32 GiB). Scenarios stop at 4 Mi (engine/scenario.ts
 * MAX_PFNS, 16 GiB, set by the memmap's 34 B/PFN); a real machine's PFN span is larger than its
 * RAM by the PCI hole (a 24 GiB machine reaches PFN 6.25 Mi), so imports get twice that: the
 * memmap of 8 Mi PFNs is 272 MiB, the two dumps 128 MiB while they are read.
 */
export const MAX_IMPORT_PFNS = 8 * 1024 * 1024;

/** Bits at or above this are set by no kernel (6.18's highest, KPF_ARCH_3, is bit 42). */
const KPF_MAX_BIT = 47;
/** A kpagecount above this is no mapcount (2^31 PTEs of one page would need 8 TiB of page tables). */
const MAX_PLAUSIBLE_MAPCOUNT = 0x7fffffff;

/** The two dumps as 32-bit words: word 2·pfn is the low half of a PFN's u64, 2·pfn+1 the high half. */
export interface DumpWords {
  readonly nrPfns: number;
  readonly flags: Uint32Array;
  /** Low halves of kpagecount, clamped to MAX_PLAUSIBLE_MAPCOUNT (the high halves were checked 0). */
  readonly count: Uint32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function words(bytes: Uint8Array): Uint32Array {
  if (LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  // Unaligned bytes (a slice of a larger buffer), or a big-endian host: one copy.
  const out = new Uint32Array(bytes.byteLength / 4);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getUint32(i * 4, true);
  return out;
}

/** Printable ASCII and whitespace: what a /proc text (or a README) is made of. */
const isTextByte = (b: number): boolean => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127);

function looksLikeText(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, 64);
  for (let i = 0; i < n; i++) if (!isTextByte(bytes[i]!)) return null;
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(n, 24))).replace(/\s+/g, ' ').trim();
  return head;
}

const hex = (n: number): string => '0x' + n.toString(16);

/** Check the two dumps and read them as words; throws ImportError with one line. */
export function readDumps(files: DumpFiles): DumpWords {
  const name = files.name ?? 'the dump';
  const check = (what: 'kpageflags' | 'kpagecount', b: Uint8Array): void => {
    if (b.byteLength === 0) throw new ImportError(`${name}.${what} is empty: a dump has 8 bytes per PFN`);
    const text = looksLikeText(b);
    if (text !== null) throw new ImportError(`${name}.${what} is a text file ("${text}…"), not a binary /proc/${what} dump (dd if=/proc/${what} of=FILE bs=4096)`);
    if (b.byteLength % 8 !== 0) throw new ImportError(`${name}.${what} is ${b.byteLength} bytes, not a multiple of 8: a dump has one u64 per PFN (was it cut short?)`);
  };
  check('kpageflags', files.kpageflags);
  check('kpagecount', files.kpagecount);
  if (files.kpageflags.byteLength !== files.kpagecount.byteLength) {
    throw new ImportError(`${name}.kpageflags has ${files.kpageflags.byteLength / 8} PFNs but ${name}.kpagecount has ${files.kpagecount.byteLength / 8}: the two dumps must cover the same PFNs`);
  }
  const nrPfns = files.kpageflags.byteLength / 8;
  if (nrPfns > MAX_IMPORT_PFNS) {
    throw new ImportError(`${name} has ${nrPfns} PFNs (${(nrPfns / 262144).toFixed(1)} GiB); imports are limited to ${MAX_IMPORT_PFNS} PFNs (32 GiB): dump a prefix with dd count=N`);
  }
  const flags = words(files.kpageflags);
  const count = words(files.kpagecount);
  const badHi = ~((1 << (KPF_MAX_BIT - 32)) - 1) >>> 0; // high-half bits at or above KPF_MAX_BIT
  for (let p = 0; p < nrPfns; p++) {
    const hi = flags[2 * p + 1]!;
    if (hi & badHi) {
      throw new ImportError(`${name}.kpageflags at PFN ${hex(p)} reads ${hex(hi)}${flags[2 * p]!.toString(16).padStart(8, '0')}: bits no kernel sets (KPF_* stop at bit 42); not a kpageflags dump`);
    }
    if (count[2 * p + 1] !== 0 || count[2 * p]! > MAX_PLAUSIBLE_MAPCOUNT) {
      const v = count[2 * p + 1]! * 2 ** 32 + count[2 * p]!;
      throw new ImportError(`${name}.kpagecount at PFN ${hex(p)} reads ${v}: no page is mapped that often; not a kpagecount dump (are the two files swapped?)`);
    }
  }
  return { nrPfns, flags, count };
}

/** A KPF bit as (word offset 0 or 1, mask) for reading from DumpWords.flags. */
export const kpfLo = (bit: number): number => (bit < 32 ? (1 << bit) >>> 0 : 0);
export const kpfHi = (bit: number): number => (bit >= 32 ? (1 << (bit - 32)) >>> 0 : 0);

/** Low-half masks of the KPF bits the rebuild reads. */
export const LO = {
  LOCKED: kpfLo(KPF.LOCKED), REFERENCED: kpfLo(KPF.REFERENCED), UPTODATE: kpfLo(KPF.UPTODATE), DIRTY: kpfLo(KPF.DIRTY),
  LRU: kpfLo(KPF.LRU), ACTIVE: kpfLo(KPF.ACTIVE), SLAB: kpfLo(KPF.SLAB), WRITEBACK: kpfLo(KPF.WRITEBACK),
  RECLAIM: kpfLo(KPF.RECLAIM), BUDDY: kpfLo(KPF.BUDDY), MMAP: kpfLo(KPF.MMAP), ANON: kpfLo(KPF.ANON),
  SWAPCACHE: kpfLo(KPF.SWAPCACHE), SWAPBACKED: kpfLo(KPF.SWAPBACKED), COMPOUND_HEAD: kpfLo(KPF.COMPOUND_HEAD),
  COMPOUND_TAIL: kpfLo(KPF.COMPOUND_TAIL), HUGE: kpfLo(KPF.HUGE), UNEVICTABLE: kpfLo(KPF.UNEVICTABLE),
  HWPOISON: kpfLo(KPF.HWPOISON), NOPAGE: kpfLo(KPF.NOPAGE), KSM: kpfLo(KPF.KSM), THP: kpfLo(KPF.THP),
  OFFLINE: kpfLo(KPF.OFFLINE), ZERO_PAGE: kpfLo(KPF.ZERO_PAGE), IDLE: kpfLo(KPF.IDLE), PGTABLE: kpfLo(KPF.PGTABLE),
} as const;

/** High-half masks (KPF bits 32 and up). */
export const HI = {
  RESERVED: kpfHi(KPF.RESERVED), MLOCKED: kpfHi(KPF.MLOCKED), OWNER_2: kpfHi(KPF.OWNER_2), PRIVATE: kpfHi(KPF.PRIVATE),
  PRIVATE_2: kpfHi(KPF.PRIVATE_2), OWNER_PRIVATE: kpfHi(KPF.OWNER_PRIVATE), ARCH: kpfHi(KPF.ARCH), ARCH_2: kpfHi(KPF.ARCH_2),
} as const;

/**
 * The page categories of the capture READMEs (capture/analyze.py classify()): one per PFN, the
 * first rule that matches. The names are summary.json's, so the two can be compared directly.
 */
export const RAW_CLASSES = [
  'nopage', 'reserved', 'free(buddy)', 'offline(balloon)', 'slab', 'pgtable', 'anon',
  'lru-unevictable(ramfs etc)', 'shmem/tmpfs', 'file(lru)', 'kernel-compound(non-lru)', 'other-kernel(no flags)',
] as const;
export type RawClass = (typeof RAW_CLASSES)[number];

/** Index into RAW_CLASSES of one PFN's flags (low and high halves). */
export function rawClassOf(lo: number, hi: number): number {
  if (lo & LO.NOPAGE) return 0;
  if (hi & HI.RESERVED) return 1;
  if (lo & LO.BUDDY) return 2;
  if (lo & LO.OFFLINE) return 3;
  if (lo & LO.SLAB) return 4;
  if (lo & LO.PGTABLE) return 5;
  if (lo & LO.ANON) return 6;
  if (lo & LO.LRU) return lo & LO.UNEVICTABLE ? 7 : lo & LO.SWAPBACKED ? 8 : 9;
  if (lo & (LO.COMPOUND_HEAD | LO.COMPOUND_TAIL)) return 10;
  return 11;
}

/** Pages per category of a whole dump's flags words, with every category present (0 if none). */
export function countRawClasses(flags: Uint32Array, nrPfns: number): Record<RawClass, number> {
  const n = new Float64Array(RAW_CLASSES.length);
  for (let p = 0; p < nrPfns; p++) n[rawClassOf(flags[2 * p]!, flags[2 * p + 1]!)]!++;
  const out = {} as Record<RawClass, number>;
  RAW_CLASSES.forEach((c, i) => (out[c] = n[i]!));
  return out;
}
