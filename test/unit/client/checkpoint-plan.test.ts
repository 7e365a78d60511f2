// What "Restore Checkpoint" puts back: the chosen run's files as before it, and every later accepted run
// that touched one of them taken back too, each file from the earliest run taken back.
import assert from 'node:assert/strict';
import type { Checkpoint } from '../../../server/src/protocol';
import { restorePlan } from '../../../client/src/changes/checkpoint-plan';

const checkpoint = (runId: string, at: string, files: string[]): Checkpoint => ({
  runId,
  task: `task ${runId}`,
  at,
  files: files.map((file) => ({ path: file, target: `/w/${file}`, stored: file.startsWith('new') ? null : `/logs/${runId}/checkpoint/files/${file}`, afterSha256: `${runId}:${file}` })),
});

// Newest first, as the server lists them.
const CHECKPOINTS = [checkpoint('e', '5', ['z.md']), checkpoint('d', '4', ['c.md', 'new.md']), checkpoint('c', '3', ['b.md', 'c.md']), checkpoint('b', '2', ['a.md']), checkpoint('a', '1', ['a.md', 'b.md'])];

describe('restoring a checkpoint', () => {
  it('takes back the run and, transitively, the later runs touching its files; each file from the earliest of them', () => {
    const plan = restorePlan(CHECKPOINTS, 'a');
    assert.deepEqual(plan?.runs.map((run) => run.runId), ['d', 'c', 'b', 'a']);
    assert.deepEqual(
      plan?.files.map((file) => [file.path, file.fromRun, file.stored, file.lastAfterSha256]),
      [
        ['a.md', 'a', '/logs/a/checkpoint/files/a.md', 'b:a.md'],
        ['b.md', 'a', '/logs/a/checkpoint/files/b.md', 'c:b.md'],
        ['c.md', 'c', '/logs/c/checkpoint/files/c.md', 'd:c.md'],
        ['new.md', 'd', null, 'd:new.md'],
      ],
    );
  });

  it('a run no later run touched is taken back alone; earlier runs are never', () => {
    assert.deepEqual(restorePlan(CHECKPOINTS, 'e')?.runs.map((run) => run.runId), ['e']);
    const plan = restorePlan(CHECKPOINTS, 'b');
    assert.deepEqual([plan?.runs.map((run) => run.runId), plan?.files.map((file) => file.path)], [['b'], ['a.md']]);
    assert.equal(restorePlan(CHECKPOINTS, 'nope'), undefined);
  });
});
