// A follow-up round taken up again after an interruption: its base is the earlier round's proposals
// still pending review (decided ones are not), and its continuing subtasks go on from their workers'
// conversations; a run never refined has no such round.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProposedFile, RunRecord, SubtaskRecord } from '../../../server/src/protocol';
import { resumedRound } from '../../../server/src/run/follow-up/resumed-round';
import { RunFolder } from '../../../server/src/run/run-folder';
import { REVIEW_FILE } from '../../../server/src/run/review-state';

const subtask = (index: number, round: number, extra: Partial<SubtaskRecord> = {}) => ({ index, text: `subtask ${index}`, round, status: 'succeeded', files: [], dependsOn: [], ...extra }) as unknown as SubtaskRecord;

describe('a resumed follow-up round', () => {
  it('starts from the pending proposals and continues the workers its plan said', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'et-resumed-round-'));
    const folder = await RunFolder.open(directory);
    const staged = (name: string, content: string) => {
      writeFileSync(path.join(directory, name), content);
      return path.join(directory, name);
    };
    const proposed = [
      { path: 'api.go', staged: staged('api.staged', 'package api // pending'), subtask: 2 },
      { path: 'store.go', staged: staged('store.staged', 'package store // taken'), subtask: 1 },
    ] as unknown as ProposedFile[];
    writeFileSync(path.join(directory, REVIEW_FILE), JSON.stringify({ version: 1, files: { 'store.go': { decision: 'accepted', at: '2026-12-07T06:00:00Z' } }, fixed: [] }));
    const record = {
      task: 'Build a todo API',
      refinement: 'DELETE must return 404',
      rounds: [{ round: 1, files: { written: [], refused: [], conflicts: [], proposed } }],
      subtasks: [subtask(1, 1), subtask(2, 1), subtask(3, 2, { status: 'running', continues: 2 }), subtask(4, 2, { status: 'pending', continues: 1 })],
    } as unknown as RunRecord;
    // Subtask 1's answer was not kept: subtask 4 cannot go on from it and starts fresh.
    const round = await resumedRound(record, folder, new Map([[2, 'api.go as I wrote it']]));
    assert.ok(round);
    const committed: { path: string; content: string; subtask: number }[] = [];
    const workingCopy = { commit: async (answer: { files: { path: string; content: string }[] }, index: number) => (committed.push({ ...answer.files[0], subtask: index }), { ok: true }) };
    await round.seedPending({ workingCopy, warn: () => assert.fail('no warning') } as unknown as Parameters<typeof round.seedPending>[0]);
    assert.deepEqual(committed, [{ path: 'api.go', content: 'package api // pending', line: 0, subtask: 2 }]);
    const next = { index: 3, text: 'Return 404', dependsOn: [], specialist: undefined, files: ['api.go'] };
    const messages = round.conversation(next, ['api.go as it is now']);
    // Its prompt was not kept: rebuilt from its subtask (of the 2 round 1 had), then its answer and the refinement.
    assert.deepEqual(messages?.map((message) => message.role), ['system', 'user', 'user', 'assistant', 'user']);
    assert.equal(messages?.[3].content, 'api.go as I wrote it');
    assert.match(messages?.map((message) => message.content).join('\n') ?? '', /Your subtask \(2 of 2\):\nsubtask 2/);
    assert.match(messages?.[4].content ?? '', /^The user looked at the result and asks for a refinement:\nDELETE must return 404/);
    assert.equal(round.conversation({ ...next, index: 4 }, []), undefined);
  });

  it('is none for a run never refined', async () => {
    const folder = await RunFolder.open(mkdtempSync(path.join(tmpdir(), 'et-resumed-round-')));
    assert.equal(await resumedRound({ task: 't', subtasks: [] } as unknown as RunRecord, folder, new Map()), undefined);
  });
});
