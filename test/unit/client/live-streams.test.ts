// What a run view opened mid-answer starts with: the end of each worker's stream so far, cleared when
// the stream restarts or the subtask ends, forgotten when the run ends.
import assert from 'node:assert/strict';
import type { RunEvent } from '../../../server/src/protocol';
import { STREAM_TAIL_CHARS, LiveStreams } from '../../../client/src/runs/live-streams';

const delta = (subtask: number, text: string): RunEvent => ({ kind: 'text-delta', subtask, text });
const spend = { usd: 0, unpricedAttempts: 0, inputTokens: 0, outputTokens: 0 } as unknown as Extract<RunEvent, { kind: 'run-end' }>['spend'];

describe('the streamed text a late run view starts with', () => {
  it('joins each subtask\'s deltas, per run', () => {
    const tails = new LiveStreams();
    tails.add('r1', [delta(1, '===FILE: a.md===\n'), delta(2, 'x'), delta(1, '# A\n')]);
    tails.add('r2', [delta(1, 'other run')]);
    assert.deepEqual(tails.of('r1'), [
      { subtask: 1, text: '===FILE: a.md===\n# A\n' },
      { subtask: 2, text: 'x' },
    ]);
    assert.deepEqual(tails.of('r2'), [{ subtask: 1, text: 'other run' }]);
    assert.deepEqual(tails.of('unknown'), []);
  });

  it('starts a subtask again after a restart or its end, and forgets the run when it ends', () => {
    const tails = new LiveStreams();
    tails.add('r', [delta(1, 'first try'), delta(2, 'kept'), { kind: 'text-restart', subtask: 1, discardedChars: 9 }, delta(1, 'second')]);
    assert.deepEqual(tails.of('r'), [
      { subtask: 2, text: 'kept' },
      { subtask: 1, text: 'second' },
    ]);
    tails.add('r', [{ kind: 'subtask-end', subtask: 2, status: 'succeeded', model: 'm', spend, durationMs: 1, files: [], error: undefined } as RunEvent]);
    assert.deepEqual(tails.of('r'), [{ subtask: 1, text: 'second' }]);
    tails.add('r', [{ kind: 'run-end', status: 'succeeded', exitCode: 0, error: undefined, durationMs: 1, spend } as RunEvent]);
    assert.deepEqual(tails.of('r'), []);
  });

  it('keeps only the end of a long stream, as the view shows it', () => {
    const tails = new LiveStreams();
    tails.add('r', [delta(1, 'a'.repeat(STREAM_TAIL_CHARS)), delta(1, 'THE END')]);
    const [{ text }] = tails.of('r');
    assert.equal(text.length, STREAM_TAIL_CHARS);
    assert.ok(text.endsWith('THE END'));
  });
});
