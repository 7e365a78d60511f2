import assert from 'node:assert/strict';
import type { RunEvent, Spend } from '../../../server/src/protocol';
import { EventBatcher } from '../../../server/src/run/event-batcher';

const spend: Spend = { tokens: { input: 0, cachedInput: 0, output: 0, reasoning: 0 }, usd: 0, requests: 0, unpricedAttempts: 0, estimatedAttempts: 0 };
const delta = (subtask: number, text: string): RunEvent => ({ kind: 'text-delta', subtask, text });
const subtaskEnd = (subtask: number): RunEvent => ({ kind: 'subtask-end', subtask, status: 'succeeded', model: 'm', spend, durationMs: 1, files: [], error: undefined });
const restart = (subtask: number): RunEvent => ({ kind: 'text-restart', subtask, discardedChars: 3 });
const runEnd: RunEvent = { kind: 'run-end', status: 'succeeded', exitCode: 0, error: undefined, durationMs: 1, spend };

/** What the batcher sends, with each batch's time, and a way to wait for the next one. */
function recorder() {
  const batches: RunEvent[][] = [];
  const times: number[] = [];
  let waiting: (() => void) | undefined;
  return {
    batches,
    times,
    send: (events: RunEvent[]) => {
      batches.push(events);
      times.push(performance.now());
      waiting?.();
      waiting = undefined;
    },
    next: () => new Promise<void>((resolve) => (waiting = resolve)),
  };
}

describe('the event batcher', () => {
  it('merges a subtask’s text deltas into one per batch, subtasks in the order they first spoke', async () => {
    const sent = recorder();
    const batcher = new EventBatcher(sent.send, 20);
    const batch = sent.next();
    batcher.push(delta(2, 'he'));
    batcher.push(delta(1, 'ab'));
    batcher.push(delta(2, 'llo'));
    batcher.push(delta(1, 'c'));
    batcher.push(delta(2, '!'));
    assert.equal(sent.batches.length, 0, 'nothing goes out before the interval');
    await batch;
    assert.deepEqual(sent.batches, [[delta(2, 'hello!'), delta(1, 'abc')]]);
  });

  it('sends a subtask’s pending text before that subtask’s next event', async () => {
    const sent = recorder();
    const batcher = new EventBatcher(sent.send, 20);
    const batch = sent.next();
    batcher.push(delta(1, 'a'));
    batcher.push(delta(2, 'x'));
    batcher.push(delta(1, 'b'));
    batcher.push(subtaskEnd(1));
    batcher.push(restart(2));
    batcher.push(delta(2, 'y'));
    await batch;
    assert.deepEqual(sent.batches, [[delta(1, 'ab'), subtaskEnd(1), delta(2, 'x'), restart(2), delta(2, 'y')]]);
  });

  it('sends at most one batch per interval, with nothing lost or reordered', async () => {
    const interval = 20;
    const sent = recorder();
    const batcher = new EventBatcher(sent.send, interval);
    // A burst: one batch.
    let batch = sent.next();
    for (let i = 0; i < 500; i++) batcher.push(delta(i % 5, `${i},`));
    await batch;
    assert.equal(sent.batches.length, 1);
    assert.deepEqual(sent.batches[0].map((event) => event.kind === 'text-delta' && event.subtask), [0, 1, 2, 3, 4]);
    // A steady stream, an event every millisecond or so for ~150 ms: far fewer batches than events.
    sent.batches.length = 0;
    sent.times.length = 0;
    const started = performance.now();
    let pushed = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        batcher.push(delta(7, `${pushed++},`));
        if (performance.now() - started > 150) {
          clearInterval(tick);
          resolve();
        }
      }, 1);
    });
    batch = sent.next();
    await batch;
    const elapsed = performance.now() - started;
    assert.ok(pushed > sent.batches.length, `${pushed} events in ${sent.batches.length} batches`);
    assert.ok(sent.batches.length <= Math.ceil(elapsed / interval) + 1, `${sent.batches.length} batches in ${elapsed.toFixed(0)} ms`);
    // Node may fire a timer a fraction of a millisecond early: allow 2 ms.
    for (let i = 1; i < sent.times.length; i++) assert.ok(sent.times[i] - sent.times[i - 1] >= interval - 2, `batches ${i - 1} and ${i} were ${(sent.times[i] - sent.times[i - 1]).toFixed(1)} ms apart`);
    for (const events of sent.batches) assert.equal(events.length, 1, 'one merged delta per batch');
    const text = sent.batches.map((events) => (events[0].kind === 'text-delta' ? events[0].text : '')).join('');
    assert.equal(text, Array.from({ length: pushed }, (_, i) => `${i},`).join(''));
  });

  it('sends run-end at once, after every subtask’s pending text', () => {
    const sent = recorder();
    // An interval no test would wait for: run-end must not.
    const batcher = new EventBatcher(sent.send, 10_000);
    batcher.push(delta(1, 'a'));
    batcher.push({ kind: 'warning-add', message: 'w' });
    batcher.push(delta(2, 'b'));
    batcher.push(runEnd);
    assert.deepEqual(sent.batches, [[{ kind: 'warning-add', message: 'w' }, delta(1, 'a'), delta(2, 'b'), runEnd]]);
  });

  it('sends nothing on a flush with nothing queued, and everything queued on a flush', () => {
    const sent = recorder();
    const batcher = new EventBatcher(sent.send, 10_000);
    batcher.flush();
    assert.equal(sent.batches.length, 0);
    batcher.push(delta(3, 'z'));
    batcher.flush();
    batcher.flush();
    assert.deepEqual(sent.batches, [[delta(3, 'z')]]);
  });
});
