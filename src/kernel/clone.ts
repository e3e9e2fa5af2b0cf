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

/**
 * A maker of objects with these keys, in this order, as one object literal. V8 gives an object its
 * hidden class by how it was made: a literal of n properties is not shaped like {} with n added,
 * and kernel code run on both shapes (populate's kernel, then the copies) ran ~25% slower for its
 * polymorphic property reads. The kernel's objects are literals (createKernel, addStore, vm.ts),
 * so a literal with the same keys gives the copy the original's shape.
 */
const makers = new Map<string, (values: readonly unknown[]) => object>();
function literalOf(keys: readonly string[]): (values: readonly unknown[]) => object {
  const id = keys.join('\0');
  let make = makers.get(id);
  if (!make) {
    // Keys are JSON-quoted into the literal's source: no key can break out of it.
    const body = `return {${keys.map((key, i) => `${JSON.stringify(key)}: v[${i}]`).join(', ')}};`;
    make = new Function('v', body) as (values: readonly unknown[]) => object;
    makers.set(id, make);
  }
  return make;
}

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
      // slice(): a copy of the original's kind too (packed, of numbers or of objects, even empty)
      const out: unknown[] = v.slice();
      copies.set(v, out);
      for (let i = 0; i < v.length; i++) if (typeof out[i] === 'object' || typeof out[i] === 'function') out[i] = copy(v[i], `${at}[${i}]`);
      return out;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`cloneKernel: ${at} is not plain data`);
    const src = v as Record<string, unknown>;
    const keys = Object.keys(src);
    // Plain values go into the literal; objects are copied after it exists (a cycle back to it,
    // an mm's VMA pointing at its mm, must find it), into the placeholder each left.
    const isRef = (x: unknown): boolean => (typeof x === 'object' && x !== null) || typeof x === 'function';
    const out = literalOf(keys)(keys.map((key) => (isRef(src[key]) ? undefined : src[key]))) as Record<string, unknown>;
    copies.set(v, out);
    for (const key of keys) {
      if (!isRef(src[key])) continue;
      // mem.onPcpList closes over its kernel: bindKernel() makes the copy's own, below.
      out[key] = v === k.mem && key === 'onPcpList' ? undefined : copy(src[key], `${at}.${key}`);
    }
    return out;
  };
  const c = copy(k, 'k') as Kernel;
  bindKernel(c);
  return c;
}
