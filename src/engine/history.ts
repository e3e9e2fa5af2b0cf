// The timeline's memory of past states: a journal cut into segments, a checkpoint at the start of
// each segment holding only what changed since the previous one, and a budget on how much
// journal stays in memory. Why this shape:
// - Positions are absolute: the count of journaled writes since step 0, so a segment can be
//   dropped and made again without renumbering anything.
// - A segment is sealed at a step boundary once it holds `segmentEntries` writes. Sealing takes a
//   checkpoint of the chunks (CHUNK elements of one store) the segment wrote: a far seek restores
//   the nearest checkpoint (every chunk at its newest version at or before it) and replays at most
//   one segment, instead of replaying the journal all the way.
// - Beyond `journalBudget` entries the segments farthest from the cursor lose their journal (their
//   checkpoint stays). A state inside such a segment is made again by deterministic re-execution
//   (timeline.ts), which journals the segment anew as it passes.
// - Chunk versions cost what the run changed, not the size of memory per checkpoint; still, a
//   compaction of a whole machine changes most of it. Beyond `checkpointBudget` bytes, checkpoints
//   between two dropped segments (useful only to land exactly on their step) are thinned away:
//   their chunk versions go where a later one still precedes the next kept checkpoint, so every
//   kept checkpoint restores exactly. Their hashes stay, for re-execution to check against.

import { put, type Column, type Stores } from '../kernel/store';

/** Elements per checkpoint chunk of a store column. */
export const CHUNK_SHIFT = 10;

export interface Segment {
  /** Absolute journal positions [start, end); end is live for the open (last) segment. */
  readonly start: number;
  end: number;
  /** The step whose mark is `start`. */
  readonly startStep: number;
  endStep: number;
  sid: Int32Array | null;
  idx: Int32Array | null;
  old: Int32Array | null;
  nu: Int32Array | null;
}

export interface Checkpoint {
  readonly step: number;
  readonly mark: number;
  readonly h1: number;
  readonly h2: number;
  /** The chunks saved at it, as sid << 20 | chunk; null once thinned away (no longer restorable). */
  chunks: Int32Array | null;
}

interface ChunkVersions {
  /** Checkpoint indices, ascending, and the chunk's contents at each. */
  readonly cp: number[];
  readonly data: Column[];
}

export interface History {
  readonly st: Stores;
  readonly segs: Segment[];
  readonly cps: Checkpoint[];
  /** versions[sid][chunk]. */
  readonly versions: (ChunkVersions | undefined)[][];
  readonly segmentEntries: number;
  readonly journalBudget: number;
  readonly checkpointBudget: number;
  /** Bytes of the step-0 copy (checkpoint 0, never thinned). */
  baseBytes: number;
  /** Bytes held by chunk versions. */
  cpBytes: number;
  /** Where each store's chunks start in a bitmap over all of them (the last entry: the total). */
  chunkBase: Int32Array;
  /** Segments whose journal was dropped, over the run (for the bench and tests). */
  evictions: number;
  /** The open segment's journal while re-execution journals into a scratch one (swapJournal). */
  parked: JournalArrays | null;
}

interface JournalArrays {
  sid: Int32Array;
  idx: Int32Array;
  old: Int32Array;
  nu: Int32Array;
  len: number;
}

/** The open segment's journal: the stores' own, unless re-execution parked it. */
const liveJournal = (h: History): JournalArrays => h.parked ?? h.st.j;

/**
 * Journal into fresh arrays (re-execution), parking the open segment's journal; `on` false puts
 * it back.
 */
export function swapJournal(h: History, on: boolean): void {
  const j = h.st.j;
  if (on) {
    if (h.parked) return;
    h.parked = { sid: j.sid, idx: j.idx, old: j.old, nu: j.nu, len: j.len };
    const cap = 1 << 16;
    j.sid = new Int32Array(cap);
    j.idx = new Int32Array(cap);
    j.old = new Int32Array(cap);
    j.nu = new Int32Array(cap);
    j.len = 0;
  } else if (h.parked) {
    Object.assign(j, h.parked);
    h.parked = null;
  }
}

export interface HistoryOptions {
  /** Journal writes per segment (and so between checkpoints). */
  readonly segmentEntries?: number;
  /** Journal writes kept in memory at most (the open segment always stays). */
  readonly journalBudget?: number;
  /** Bytes of checkpoint chunk versions beyond the step-0 copy before thinning starts. */
  readonly checkpointBudget?: number;
}

/** Start the history at the current state (step 0, position 0): a full checkpoint. */
export function createHistory(st: Stores, opts: HistoryOptions = {}): History {
  const h: History = {
    st, segs: [], cps: [], versions: st.list.map(() => []),
    segmentEntries: opts.segmentEntries ?? 1 << 20,
    journalBudget: opts.journalBudget ?? 1 << 24,
    checkpointBudget: opts.checkpointBudget ?? 192 * (1 << 20),
    baseBytes: 0,
    cpBytes: 0,
    chunkBase: chunkBases(st),
    evictions: 0,
    parked: null,
  };
  for (const s of st.list) {
    const n = chunksOf(s.a.length);
    for (let c = 0; c < n; c++) saveChunk(h, s.id, c, 0);
  }
  h.baseBytes = h.cpBytes;
  h.cps.push({ step: 0, mark: 0, h1: st.h1, h2: st.h2, chunks: new Int32Array(0) });
  h.segs.push({ start: 0, end: 0, startStep: 0, endStep: 0, sid: null, idx: null, old: null, nu: null });
  return h;
}

const chunksOf = (len: number): number => (len + (1 << CHUNK_SHIFT) - 1) >> CHUNK_SHIFT;

/** Stores may grow (growStore): leave room for each to double before its chunks overlap the next's. */
function chunkBases(st: Stores): Int32Array {
  const base = new Int32Array(st.list.length + 1);
  st.list.forEach((s, i) => (base[i + 1] = base[i]! + 2 * chunksOf(s.a.length) + 64));
  return base;
}

function saveChunk(h: History, sid: number, c: number, cp: number): void {
  const a = h.st.list[sid]!.a;
  const data = a.slice(c << CHUNK_SHIFT, (c + 1) << CHUNK_SHIFT);
  const per = h.versions[sid]!;
  let v = per[c];
  if (!v) per[c] = v = { cp: [], data: [] };
  v.cp.push(cp);
  v.data.push(data);
  h.cpBytes += data.byteLength;
}

export const openSegment = (h: History): Segment => h.segs[h.segs.length - 1]!;

/** The absolute position the open segment's journal has reached. */
export const journalEnd = (h: History): number => openSegment(h).start + liveJournal(h).len;

const segEnd = (h: History, i: number): number => (i === h.segs.length - 1 ? journalEnd(h) : h.segs[i]!.end);

/**
 * Seal the open segment at the current state, which must be at the end of its journal and at
 * step `step`: keep its journal, checkpoint the chunks it wrote, open the next.
 */
export function sealSegment(h: History, step: number): void {
  const seg = openSegment(h);
  if (h.parked) throw new Error('sealing while re-execution journals elsewhere');
  const j = h.st.j;
  const len = j.len;
  seg.end = seg.start + len;
  seg.endStep = step;
  const sids = (seg.sid = j.sid.slice(0, len));
  const idx = (seg.idx = j.idx.slice(0, len));
  seg.old = j.old.slice(0, len);
  seg.nu = j.nu.slice(0, len);
  const cp = h.cps.length;
  const saved: number[] = [];
  // The chunks the segment wrote, as one bitmap over every store's chunks.
  if (h.st.list.some((s, i) => chunksOf(s.a.length) > h.chunkBase[i + 1]! - h.chunkBase[i]!)) h.chunkBase = chunkBases(h.st);
  const base = h.chunkBase;
  const seen = new Uint8Array(base[base.length - 1]!);
  for (let n = 0; n < len; n++) {
    const at = base[sids[n]!]! + (idx[n]! >> CHUNK_SHIFT);
    if (seen[at] === 0) {
      seen[at] = 1;
      saveChunk(h, sids[n]!, idx[n]! >> CHUNK_SHIFT, cp);
      saved.push((sids[n]! << 20) | (idx[n]! >> CHUNK_SHIFT));
    }
  }
  h.cps.push({ step, mark: seg.end, h1: h.st.h1, h2: h.st.h2, chunks: Int32Array.from(saved) });
  j.len = 0;
  h.segs.push({ start: seg.end, end: seg.end, startStep: step, endStep: step, sid: null, idx: null, old: null, nu: null });
}

/** The segment holding position `pos` (a position on a boundary belongs to the later segment). */
export function segmentAt(h: History, pos: number): number {
  let lo = 0;
  let hi = h.segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (h.segs[mid]!.start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const present = (h: History, i: number): boolean => i === h.segs.length - 1 || h.segs[i]!.sid !== null;

/** Can checkpoint `cp` be restored (it was not thinned away)? */
export const restorable = (h: History, cp: number): boolean => h.cps[cp]?.chunks != null;

/** Restore checkpoint `cp` exactly: every chunk at its newest version at or before it. */
export function restoreCheckpoint(h: History, cp: number): void {
  if (!restorable(h, cp)) throw new Error(`checkpoint ${cp} was thinned away`);
  const st = h.st;
  st.list.forEach((s, sid) => {
    const per = h.versions[sid]!;
    const n = chunksOf(s.a.length);
    for (let c = 0; c < n; c++) {
      const v = per[c];
      let k = v ? v.cp.length - 1 : -1;
      while (k >= 0 && v!.cp[k]! > cp) k--;
      const at = c << CHUNK_SHIFT;
      if (k < 0) s.a.fill(s.fill, at, Math.min(s.a.length, at + (1 << CHUNK_SHIFT))); // grown after it
      else s.a.set(v!.data[k]!, at);
    }
  });
  st.h1 = h.cps[cp]!.h1;
  st.h2 = h.cps[cp]!.h2;
}

function applyRange(h: History, seg: Segment, from: number, to: number, forward: boolean): void {
  const st = h.st;
  const j = st.j;
  const lj = liveJournal(h);
  const live = seg === openSegment(h);
  const sid = live ? lj.sid : seg.sid!;
  const idx = live ? lj.idx : seg.idx!;
  const val = forward ? (live ? lj.nu : seg.nu!) : (live ? lj.old : seg.old!);
  const a = from - seg.start;
  const b = to - seg.start;
  const on = j.on;
  j.on = false;
  const list = st.list;
  if (forward) for (let n = a; n < b; n++) put(st, list[sid[n]!]!, idx[n]!, val[n]!);
  else for (let n = b - 1; n >= a; n--) put(st, list[sid[n]!]!, idx[n]!, val[n]!);
  j.on = on;
}

/** Replay the journal from `from` to `to` through present segments only. */
function replay(h: History, from: number, to: number): void {
  if (to > from) {
    for (let i = segmentAt(h, from); from < to; i++) {
      const seg = h.segs[i]!;
      const e = Math.min(to, segEnd(h, i));
      applyRange(h, seg, from, e, true);
      from = e;
    }
  } else {
    for (let i = segmentAt(h, from === 0 ? 0 : from - 1); from > to; i--) {
      const seg = h.segs[i]!;
      const e = Math.max(to, seg.start);
      applyRange(h, seg, e, from, false);
      from = e;
    }
  }
}

/** Can travel() go from `from` to `to` by replaying held journal alone (no checkpoint restore)? */
export const canReplay = (h: History, from: number, to: number): boolean => from === to || allPresent(h, from, to);

function allPresent(h: History, from: number, to: number): boolean {
  const a = segmentAt(h, Math.min(from, to));
  const b = segmentAt(h, Math.max(from, to) === 0 ? 0 : Math.max(from, to) - 1);
  for (let i = a; i <= b; i++) if (!present(h, i)) return false;
  return true;
}

/** What a restore costs, in journal entries' worth of work (a copy of every store). */
function restoreCost(h: History): number {
  let n = 0;
  for (const s of h.st.list) n += s.a.length;
  return n >> 4;
}

/** Can travel() reach `to` from `from` (without re-execution)? */
export function canTravel(h: History, from: number, to: number): boolean {
  if (from === to || allPresent(h, from, to)) return true;
  const si = segmentAt(h, to);
  if (present(h, si)) return restorable(h, si) || (si < h.segs.length - 1 && restorable(h, si + 1));
  return to === h.segs[si]!.start && restorable(h, si);
}

/**
 * Move the stores from position `from` to `to`. False when `to` lies in a segment whose journal
 * was dropped and is not a checkpoint: only re-execution can reach it.
 */
export function travel(h: History, from: number, to: number): boolean {
  if (from === to) return true;
  const si = segmentAt(h, to);
  const seg = h.segs[si]!;
  const cpAtStart = si; // checkpoint si is at segs[si].start (sealing pushes both in step)
  const direct = allPresent(h, from, to) ? Math.abs(to - from) : Infinity;
  const viaStart = !restorable(h, cpAtStart) ? Infinity : present(h, si) ? restoreCost(h) + (to - seg.start) : to === seg.start ? restoreCost(h) : Infinity;
  const viaEnd = si < h.segs.length - 1 && present(h, si) && restorable(h, cpAtStart + 1) ? restoreCost(h) + (seg.end - to) : Infinity;
  if (to > journalEnd(h)) throw new Error(`position ${to} is past the journal's end ${journalEnd(h)}`);
  const best = Math.min(direct, viaStart, viaEnd);
  if (best === Infinity) return false;
  if (best === direct) replay(h, from, to);
  else if (best === viaStart) {
    restoreCheckpoint(h, cpAtStart);
    replay(h, seg.start, to);
  } else {
    restoreCheckpoint(h, cpAtStart + 1);
    replay(h, seg.end, to);
  }
  return true;
}

/** Give a sealed segment its journal back (re-execution journaled it anew). */
export function adoptJournal(h: History, i: number, sid: Int32Array, idx: Int32Array, old: Int32Array, nu: Int32Array): void {
  const seg = h.segs[i]!;
  const len = seg.end - seg.start;
  if (sid.length < len) throw new Error(`re-execution journaled ${sid.length} writes for a segment of ${len}`);
  seg.sid = sid.slice(0, len);
  seg.idx = idx.slice(0, len);
  seg.old = old.slice(0, len);
  seg.nu = nu.slice(0, len);
}

export const segmentPresent = present;

export interface JournalSlice {
  readonly sid: Int32Array;
  readonly idx: Int32Array;
  readonly old: Int32Array;
  readonly nu: Int32Array;
  /** Entries [from, to) of the arrays. */
  readonly from: number;
  readonly to: number;
}

/** The journal entries between absolute positions lo < hi, or null when part of it was dropped. */
export function journalSlices(h: History, lo: number, hi: number): JournalSlice[] | null {
  if (hi > journalEnd(h)) return null;
  const out: JournalSlice[] = [];
  for (let i = segmentAt(h, lo); lo < hi; i++) {
    const seg = h.segs[i]!;
    const end = Math.min(hi, segEnd(h, i));
    const live = i === h.segs.length - 1;
    const j = liveJournal(h);
    if (!live && !seg.sid) return null;
    out.push({ sid: live ? j.sid : seg.sid!, idx: live ? j.idx : seg.idx!, old: live ? j.old : seg.old!, nu: live ? j.nu : seg.nu!, from: lo - seg.start, to: end - seg.start });
    lo = end;
  }
  return out;
}

/** Journal entries held in memory (sealed segments kept, plus the open one). */
export function journalHeld(h: History): number {
  let n = liveJournal(h).len;
  for (let i = 0; i < h.segs.length - 1; i++) if (h.segs[i]!.sid) n += h.segs[i]!.end - h.segs[i]!.start;
  return n;
}

/**
 * Drop the journals of the sealed segments farthest from `pos` until the budget holds, never
 * those holding a position in `keep`.
 */
export function enforceBudget(h: History, pos: number, keep: readonly number[]): void {
  let held = journalHeld(h);
  if (held <= h.journalBudget) return thinCheckpoints(h, pos);
  const protect = new Set([...keep, pos].map((p) => segmentAt(h, p)));
  const order = h.segs
    .map((s, i) => ({ i, d: Math.min(Math.abs(s.start - pos), Math.abs(s.end - pos)) }))
    .filter(({ i }) => i < h.segs.length - 1 && h.segs[i]!.sid && !protect.has(i))
    .sort((a, b) => b.d - a.d);
  for (const { i } of order) {
    if (held <= h.journalBudget) break;
    const s = h.segs[i]!;
    held -= s.end - s.start;
    s.sid = s.idx = s.old = s.nu = null;
    h.evictions++;
  }
  thinCheckpoints(h, pos);
}

/**
 * Thin checkpoints away, farthest from `pos` first, until their chunk versions fit the budget:
 * only those between two dropped segments (never step 0's, nor the newest).
 */
export function thinCheckpoints(h: History, pos: number): void {
  if (h.cpBytes - h.baseBytes <= h.checkpointBudget) return;
  const last = h.cps.length - 1;
  const order: number[] = [];
  for (let x = 1; x < last; x++) if (h.cps[x]!.chunks && !present(h, x - 1) && !present(h, x)) order.push(x);
  order.sort((a, b) => Math.abs(h.cps[b]!.mark - pos) - Math.abs(h.cps[a]!.mark - pos));
  for (const x of order) {
    if (h.cpBytes - h.baseBytes <= h.checkpointBudget) break;
    let next = x + 1;
    while (!h.cps[next]!.chunks) next++; // the newest is always kept
    for (const key of h.cps[x]!.chunks!) {
      const v = h.versions[key >>> 20]![key & 0xfffff]!;
      const k = v.cp.indexOf(x);
      // Superseded before the next kept checkpoint: only a restore of x itself read it.
      if (k >= 0 && k + 1 < v.cp.length && v.cp[k + 1]! <= next) {
        h.cpBytes -= v.data[k]!.byteLength;
        v.cp.splice(k, 1);
        v.data.splice(k, 1);
      }
    }
    h.cps[x]!.chunks = null;
  }
}

/** Bytes of the journal kept in memory, at 16 B a write. */
export const journalBytes = (h: History): number => journalHeld(h) * 16;
