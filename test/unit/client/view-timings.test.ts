// The run view's self-timings, summarised on the extension host for the bench.
import assert from 'node:assert/strict';
import { summariseTimings } from '../../../client/src/runs/view-timings';

describe('run view timings', () => {
  it('gives the count, median, nearest-rank p95, max and total', () => {
    const samples = Array.from({ length: 20 }, (_, index) => 20 - index); // 20 … 1, unsorted input
    assert.deepEqual(summariseTimings(samples), { count: 20, medianMs: 10.5, p95Ms: 19, maxMs: 20, totalMs: 210 });
    assert.deepEqual(summariseTimings([3, 1, 2]), { count: 3, medianMs: 2, p95Ms: 3, maxMs: 3, totalMs: 6 });
  });

  it('gives zeros for no samples rather than NaN', () => {
    assert.deepEqual(summariseTimings([]), { count: 0, medianMs: 0, p95Ms: 0, maxMs: 0, totalMs: 0 });
  });
});
