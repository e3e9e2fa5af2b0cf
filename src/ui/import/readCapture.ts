// Getting a capture's files off the person's disk: the files of a drop (plain files, or the top
// level of one dropped folder, whose name then names the capture) and reading them for the
// worker. The binary dumps are read as ArrayBuffers and transferred, never copied; the /proc
// texts are small and go as strings (the worker's parser reads them; nothing here renders them).
import type { ImportFiles } from '../../worker/protocol';
import { captureName, type Capture } from './matchFiles';

/** Files the person gave, and the folder they came from when they dropped one. */
export interface Picked {
  readonly files: readonly File[];
  readonly folder: string | null;
}

/**
 * A /proc text bigger than this is not one (zoneinfo of a large NUMA machine is ~200 KiB): it is
 * refused unread rather than copied to the worker.
 */
const MAX_TEXT_BYTES = 4 << 20;

/** The files of a drop. A dropped folder contributes the files at its top level. */
export async function droppedFiles(dt: DataTransfer): Promise<Picked> {
  const entries = Array.from(dt.items, (item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() ?? null : null));
  const dirs = entries.filter((e): e is FileSystemDirectoryEntry => e?.isDirectory === true);
  if (dirs.length === 1 && entries.length === 1) {
    const dir = dirs[0]!;
    return { files: await filesOf(dir), folder: dir.name };
  }
  // Plain files (a folder among other things contributes nothing: its File is unreadable).
  return { files: Array.from(dt.files).filter((_, i) => entries[i]?.isDirectory !== true), folder: null };
}

async function filesOf(dir: FileSystemDirectoryEntry): Promise<File[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries answers in batches (100 in Chromium) until it answers with none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) break;
    all.push(...batch);
  }
  const files = all.filter((e): e is FileSystemFileEntry => e.isFile);
  return Promise.all(files.map((e) => new Promise<File>((res, rej) => e.file(res, rej))));
}

/** Read a capture's files; the two dumps' buffers are listed for transfer. Throws with one line. */
export async function readCapture(c: Capture<File>, folder: string | null): Promise<{ files: ImportFiles; transfer: ArrayBuffer[] }> {
  const texts: Partial<Record<'buddyinfo' | 'pagetypeinfo' | 'zoneinfo', string>> = {};
  for (const [kind, f] of Object.entries(c.texts)) {
    if (f.size > MAX_TEXT_BYTES) throw new Error(`${f.name} is ${Math.round(f.size / 2 ** 20)} MiB: that is not a /proc/${kind} text`);
    texts[kind as keyof typeof texts] = await f.text();
  }
  const [kpageflags, kpagecount] = await Promise.all([c.kpageflags.arrayBuffer(), c.kpagecount.arrayBuffer()]);
  const files: ImportFiles = { ...texts, name: captureName(c.prefix, folder), kpageflags, kpagecount };
  return { files, transfer: [kpageflags, kpagecount] };
}
