// The run view's streamed text, gathered on the extension host between posts: only each stream's end
// goes to the view, marked cut when the part before it was dropped, and ends and restarts in order.
import assert from 'node:assert/strict';
import { StreamTails } from '../../../client/src/runs/stream-tails';

describe('run view stream tails', () => {
  it('posts short text whole, appended, and nothing twice', () => {
    const tails = new StreamTails(10);
    tails.delta(1, 'abc');
    tails.delta(2, 'x');
    tails.delta(1, 'def');
    assert.deepEqual(tails.take(), { ended: [], restarts: [], deltas: [{ subtask: 1, text: 'abcdef' }, { subtask: 2, text: 'x' }] });
    assert.equal(tails.empty, true);
    assert.deepEqual(tails.take(), { ended: [], restarts: [], deltas: [] });
  });

  it('posts only the end of a long stream, marked cut, however many deltas made it', () => {
    const tails = new StreamTails(10);
    for (let index = 0; index < 100; index++) tails.delta(3, String(index % 10));
    const { deltas } = tails.take();
    assert.deepEqual(deltas, [{ subtask: 3, text: '0123456789', cut: true }]);
    // Over the tail once (not yet sliced while gathering) is cut as well.
    tails.delta(3, '0123456789ab');
    assert.deepEqual(tails.take().deltas, [{ subtask: 3, text: '23456789ab', cut: true }]);
  });

  it('drops what an ended or restarted stream had pending, and keeps text that comes after', () => {
    const tails = new StreamTails(10);
    tails.delta(1, 'old');
    tails.end(1);
    tails.delta(2, 'before');
    tails.restart(2);
    tails.delta(2, 'after');
    tails.delta(1, 'revision');
    assert.deepEqual(tails.take(), { ended: [1], restarts: [2], deltas: [{ subtask: 2, text: 'after' }, { subtask: 1, text: 'revision' }] });
  });

  it('ends every stream when the run ends, posting nothing pending', () => {
    const tails = new StreamTails(10);
    tails.delta(1, 'late');
    assert.deepEqual(tails.takeRunEnd(), { ended: 'all', restarts: [], deltas: [] });
    assert.equal(tails.empty, true);
  });
});
