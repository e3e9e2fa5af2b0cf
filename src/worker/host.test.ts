import { describe, expect, it } from 'vitest';
import type { MemorySnapshot } from '../engine/snapshot';
import { frameReply, handleCommand, transferableView } from './host';

function snapshot(view: Uint8Array): MemorySnapshot {
  return {
    nrPfns: view.length,
    zones: [{ name: 'DMA', start: 0, end: view.length }],
    view,
    classCounts: [view.length],
    stateHash: 'abc',
  };
}

describe('worker host', () => {
  it('answers load with a frame whose view buffer is in the transfer list', () => {
    const { msg, transfer } = handleCommand({ type: 'load' });
    if (msg.type !== 'frame') throw new Error(`expected a frame, got ${msg.type}: ${JSON.stringify(msg)}`);
    expect(msg.view.length).toBe(msg.nrPfns);
    expect(transfer).toEqual([msg.view.buffer]);
    expect(msg.classCounts.reduce((a, b) => a + b, 0)).toBe(msg.nrPfns);
  });

  it('transfers a view that owns its whole buffer without copying', () => {
    const view = new Uint8Array([1, 2, 3]);
    const { msg, transfer } = frameReply(snapshot(view));
    expect(transfer[0]).toBe(view.buffer);
    expect(msg.type === 'frame' && msg.stateHash).toBe('abc');
  });

  it('copies a view that is a window into a larger buffer, so the engine keeps its memory', () => {
    const big = new Uint8Array([9, 1, 2, 3, 9]);
    const window = big.subarray(1, 4);
    const out = transferableView(window);
    expect(out.buffer).not.toBe(big.buffer);
    expect([...out]).toEqual([1, 2, 3]);
    expect(out.byteLength).toBe(out.buffer.byteLength);
  });

  it('answers an unknown command with an error message instead of throwing', () => {
    const bogus = JSON.parse('{"type":"bogus"}') as Parameters<typeof handleCommand>[0];
    const { msg } = handleCommand(bogus);
    expect(msg).toEqual({ type: 'error', message: 'Error: unexpected message: "bogus"' });
  });
});
