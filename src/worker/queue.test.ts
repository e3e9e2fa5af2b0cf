// The command queue (queue.ts): the host sees commands in the order the page sent them, a
// command that needs code waits until it is loaded, and the ones behind it wait too.
import { describe, expect, it } from 'vitest';
import { createCommandQueue } from './queue';

/** A promise resolved by hand, so the test decides when a part "has loaded". */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('command queue', () => {
  it('runs a command that needs nothing at once, when none waits', () => {
    const ran: string[] = [];
    const q = createCommandQueue<string>(() => null, (c) => ran.push(c));
    q.push('a');
    expect(ran).toEqual(['a']);
    expect(q.waiting).toBe(0);
  });

  it('holds the commands behind one that waits for its code, then runs all in order', async () => {
    const ran: string[] = [];
    const g = gate();
    let loaded = false;
    const q = createCommandQueue<string>((c) => (c.startsWith('needs') && !loaded ? g.promise.then(() => void (loaded = true)) : null), (c) => ran.push(c));
    q.push('step-1');
    q.push('needs-scenario');
    q.push('step-2'); // needs nothing, but came after
    q.push('needs-scenario-again');
    await settle();
    expect(ran).toEqual(['step-1']);
    expect(q.waiting).toBe(3);
    g.open();
    await settle();
    expect(ran).toEqual(['step-1', 'needs-scenario', 'step-2', 'needs-scenario-again']);
    expect(q.waiting).toBe(0);
    q.push('step-3'); // drained: runs at once again
    expect(ran.at(-1)).toBe('step-3');
  });

  it('keeps order across two loads, the second started only when its command is first', async () => {
    const ran: string[] = [];
    const started: string[] = [];
    const gates = new Map([['A', gate()], ['B', gate()]]);
    const done = new Set<string>();
    const q = createCommandQueue<string>(
      (c) => {
        if (!gates.has(c) || done.has(c)) return null;
        started.push(c);
        return gates.get(c)!.promise.then(() => void done.add(c));
      },
      (c) => ran.push(c),
    );
    q.push('A');
    q.push('x');
    q.push('B');
    q.push('y');
    gates.get('B')!.open(); // B's code arrives first: it still runs after A and x
    await settle();
    expect(ran).toEqual([]);
    gates.get('A')!.open();
    await settle();
    expect(ran).toEqual(['A', 'x', 'B', 'y']);
    expect(started).toEqual(['A', 'A', 'B']); // push asked for A, then the drain did; B only in its turn
  });

  it('an error thrown by a command run while draining leaves the rest running', async () => {
    const ran: string[] = [];
    const g = gate();
    let loaded = false;
    const thrown: unknown[] = [];
    const orig = globalThis.setTimeout;
    // The queue throws it again from a timer (the worker's 'error' event): catch it there.
    globalThis.setTimeout = ((fn: () => void) => {
      try {
        fn();
      } catch (e) {
        thrown.push(e);
      }
      return 0;
    }) as unknown as typeof setTimeout;
    try {
      const q = createCommandQueue<string>((c) => (c === 'load' && !loaded ? g.promise.then(() => void (loaded = true)) : null), (c) => {
        if (c === 'crash') throw new Error('crash');
        ran.push(c);
      });
      q.push('load');
      q.push('crash');
      q.push('after');
      g.open();
      await settle();
      expect(ran).toEqual(['load', 'after']);
      expect(thrown.map((e) => (e as Error).message)).toEqual(['crash']);
    } finally {
      globalThis.setTimeout = orig;
    }
  });
});
