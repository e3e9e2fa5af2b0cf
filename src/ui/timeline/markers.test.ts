import { describe, expect, it } from 'vitest';
import { zoomedMarkers } from './markers';
import type { Marker } from '../../worker/protocol';

describe('zoomedMarkers', () => {
  const run: Marker[] = [
    { step: 1, kind: 'action' }, { step: 5, kind: 'isolate' }, { step: 50, kind: 'action' }, { step: 90, kind: 'fail' },
  ];
  it('takes the answer for the steps in view, keeps the action starts and what the run knows outside', () => {
    const view = { from: 40, to: 80, markers: [{ step: 45, kind: 'copy' }, { step: 60, kind: 'fail' }] as Marker[] };
    expect(zoomedMarkers(run, view)).toEqual([
      { step: 1, kind: 'action' }, { step: 5, kind: 'isolate' }, { step: 45, kind: 'copy' }, { step: 50, kind: 'action' },
      { step: 60, kind: 'fail' }, { step: 90, kind: 'fail' },
    ]);
  });
  it('an answer without markers leaves the run markers', () => {
    expect(zoomedMarkers(run, { from: 0, to: 100, markers: [] })).toBe(run);
  });
});
