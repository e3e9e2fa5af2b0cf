// A copy of a kernel at rest: populated, before a timeline journals it. Populating runs the
// allocator, faults and reads for every page of the machine (a second for a 4 GiB one); opening
// another session on the same memory copies a kept kernel instead (engine/session.ts).
//
// A kernel at rest is data only — plain objects, arrays, Maps, Sets and typed arrays (vm.ts makes
// its objects while populating; from then on everything that changes lives in stores) — and one
// closure, mem.onPcpList, made again by bindKernel(). Anything else (a function, a class instance)
// is refused rather than shared. Shared references stay shared in the copy, and typed arrays that
// view one ArrayBuffer (the memmap's staggered columns) view one copied buffer at the same offsets.

import { bindKernel, type Kernel } from './kernel';

export function cloneKernel(k: Kernel): Kernel {
  if (k.st.j.on || k.st.j.len !== 0 || k.mem.fp || k.sink || k.spans || k.isolators) {
    throw new Error('cloneKernel: only a kernel at rest (populated, no timeline yet) can be copied');
  }
  const copies = new Map<object, unknown>();
  const buffers = new Map<ArrayBufferLike, ArrayBuffer>();
  const copy = (v: unknown, at: string): unknown => {
    if (typeof v === 'function') throw new Error(`cloneKernel: ${at} is a function`);
    if (typeof v !== 'object' || v === null) return v;
    const done = copies.get(v);
    if (done !== undefined) return done;
    if (ArrayBuffer.isView(v)) {
      let b = buffers.get(v.buffer);
      if (!b) buffers.set(v.buffer, (b = (v.buffer as ArrayBuffer).slice(0)));
      const View = v.constructor as new (b: ArrayBuffer, offset: number, length: number) => ArrayBufferView;
      const out = new View(b, v.byteOffset, (v as unknown as { length: number }).length);
      copies.set(v, out);
      return out;
    }
    if (v instanceof Map) {
      const out = new Map<unknown, unknown>();
      copies.set(v, out);
      for (const [key, x] of v) out.set(copy(key, `${at} key`), copy(x, `${at}.get()`));
      return out;
    }
    if (v instanceof Set) {
      const out = new Set<unknown>();
      copies.set(v, out);
      for (const x of v) out.add(copy(x, `${at} member`));
      return out;
    }
    if (Array.isArray(v)) {
      const out: unknown[] = new Array(v.length);
      copies.set(v, out);
      for (let i = 0; i < v.length; i++) out[i] = copy(v[i], `${at}[${i}]`);
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`cloneKernel: ${at} is not plain data`);
    const out: Record<string, unknown> = {};
    copies.set(v, out);
    for (const [key, x] of Object.entries(v)) {
      // mem.onPcpList closes over its kernel: bindKernel() makes the copy's own, below.
      if (v === k.mem && key === 'onPcpList') out[key] = undefined;
      else out[key] = copy(x, `${at}.${key}`);
    }
    return out;
  };
  const c = copy(k, 'k') as Kernel;
  bindKernel(c);
  return c;
}
