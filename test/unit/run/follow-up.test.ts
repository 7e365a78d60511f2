// A follow-up round's pure parts: which runs may be refined, the record a round starts from (and that
// a record without rounds still reads as one round), what the mayor is shown, its plan numbered on from
// the run's last subtask, and which earlier worker each new subtask continues with what conversation.
import assert from 'node:assert/strict';
import type { FileChangeRecord, RunRecord, SubtaskRecord } from '../../../server/src/protocol';
import { continuations, continuedConversation, lastAuthors } from '../../../server/src/run/follow-up/conversation';
import { earlierWorkText, followUpPlanMessages, parseFollowUpPlan } from '../../../server/src/run/follow-up/plan-messages';
import { currentRound, currentSubtasks, declinedRound, endedRound, followUpRecord, refusalToRefine } from '../../../server/src/run/follow-up/round-record';
import { FollowUpRound, type PlanningContext, type PlanningInputs } from '../../../server/src/run/follow-up/follow-up-round';
import { parsePlan } from '../../../server/src/run/decompose';
import { PlanDeclinedError } from '../../../server/src/run/plan-approval';
import { builtInPrompt } from '../../../server/src/prompts';
import { newRunRecord, subtaskRecord } from '../../../server/src/run/run-record';
import { continuedRecord } from '../../../server/src/run/resume-state';
import { resolveRunSettings } from '../../../server/src/run/run-options';

const config = { providers: {}, models: {}, roles: {} } as unknown as Parameters<typeof resolveRunSettings>[2];

function finishedRun(): RunRecord {
  const settings = resolveRunSettings('Build a todo API', {}, config, '/tmp/out');
  const record = newRunRecord({ id: 'abcdef0123', settings, config: { path: '/tmp/electrictown.yaml', sha256: 'x' }, folder: '/tmp/logs/run', startedAt: new Date('2026-12-07T05:00:00Z'), pid: 100 });
  const subtask = (index: number, text: string, files: string[]): SubtaskRecord => ({ ...subtaskRecord({ index, text, dependsOn: [], specialist: undefined, files }), status: 'succeeded', files });
  record.subtasks = [subtask(1, 'Write the store in store.go', ['store.go']), subtask(2, 'Write the handlers in api.go', ['api.go']), { ...subtask(3, 'Write docs', []), status: 'failed', error: 'no answer\nmore' }];
  const change = (path: string, subtasks: number[]): FileChangeRecord => ({ path, created: true, subtasks, added: 1, removed: 0, edits: [] });
  record.changes = [change('store.go', [1]), change('api.go', [1, 2])];
  record.files.written = [{ path: 'store.go', bytes: 10, subtask: 1 } as RunRecord['files']['written'][number], { path: 'api.go', bytes: 10, subtask: 2 } as RunRecord['files']['written'][number]];
  record.findings = [{ source: 'witness', subtask: 2, file: 'api.go', line: 12, column: undefined, severity: 'warning', message: 'DELETE ignores unknown ids' }];
  record.totals.usd = 0.5;
  record.totals.requests = 8;
  record.status = 'failed';
  record.exitCode = 1;
  record.error = '1 of 3 subtasks did not finish';
  record.endedAt = '2026-12-07T05:01:00Z';
  record.synthesis = '_synthesis.md';
  return record;
}

const next = (record: RunRecord, refinement = 'DELETE must return 404 for unknown ids') => followUpRecord(record, { refinement, pid: 200, now: new Date('2026-12-07T06:00:00Z'), config: record.config, flags: record.flags, synthesis: '_synthesis_round1.md' });

describe('follow-up rounds', () => {
  it('refines succeeded, failed and budget-stopped runs; refuses running, interrupted and cancelled ones with what to do', () => {
    const record = finishedRun();
    for (const status of ['succeeded', 'failed', 'budget_exceeded'] as const) assert.equal(refusalToRefine({ ...record, status }, () => false), undefined, status);
    assert.equal(refusalToRefine({ ...record, status: 'running' }, () => true), 'run abcdef0123 is still running (process 100); refine it once it has ended');
    assert.equal(refusalToRefine({ ...record, status: 'running' }, () => false), 'run abcdef0123 was interrupted; resume it first (et run --resume abcdef0123), then refine it');
    assert.match(refusalToRefine({ ...record, status: 'cancelled' }, () => false) ?? '', /was cancelled before its files were written; resume it first/);
  });

  it('keeps the ended round whole in rounds and starts the next afresh, subtasks, totals and id going on', () => {
    const record = finishedRun();
    assert.equal(currentRound(record), 1, 'a record without rounds is in round 1');
    const started = next(record);
    assert.deepEqual([started.id, started.status, started.exitCode, started.endedAt, started.pid, started.refinement], ['abcdef0123', 'running', null, undefined, 200, 'DELETE must return 404 for unknown ids']);
    assert.deepEqual([started.phases, started.findings, started.files.written, started.changes, started.synthesis, started.brief], [[], [], [], undefined, undefined, undefined]);
    assert.equal(started.subtasks.length, 3);
    assert.equal(started.totals.usd, 0.5);
    assert.deepEqual(started.resumedAt, ['2026-12-07T06:00:00.000Z']);
    const [round] = started.rounds ?? [];
    assert.deepEqual([round.round, round.task, round.status, round.error, round.subtasks, round.synthesis, round.spend.usd, round.spend.requests], [1, 'Build a todo API', 'failed', '1 of 3 subtasks did not finish', [1, 2, 3], '_synthesis_round1.md', 0.5, 8]);
    assert.deepEqual(round.files.written.map((file) => file.path), ['store.go', 'api.go']);
    assert.equal(round.findings.length, 1);
    assert.equal(currentRound(started), 2);
    assert.deepEqual(currentSubtasks(started), [], 'no subtask of round 2 yet');

    // Round 2 ends; round 3's record counts only round 2's spend as round 2's.
    started.subtasks.push({ ...subtaskRecord({ index: 4, text: 'Return 404', dependsOn: [], specialist: undefined, files: ['api.go'] }), round: 2, status: 'succeeded' });
    Object.assign(started, { status: 'succeeded', exitCode: 0, endedAt: '2026-12-07T06:01:00Z' });
    started.totals.usd = 0.75;
    started.totals.requests = 11;
    const third = next(started, 'and 400 for bad ids');
    const [, second] = third.rounds ?? [];
    assert.deepEqual([second.round, second.task, second.startedAt, second.subtasks, second.spend.usd, second.spend.requests], [2, 'DELETE must return 404 for unknown ids', '2026-12-07T06:00:00.000Z', [4], 0.25, 3]);
    assert.equal(endedRound(third, undefined).round, 3);
  });

  it('resumes only the current round of an interrupted follow-up: earlier rounds stay as they ended', () => {
    const started = next(finishedRun());
    started.subtasks.push({ ...subtaskRecord({ index: 4, text: 'Return 404', dependsOn: [], specialist: undefined, files: ['api.go'] }), round: 2, status: 'running' });
    const resumed = continuedRecord(started, new Map(), { config: started.config, pid: 300, now: new Date() });
    assert.deepEqual(resumed.subtasks.map((subtask) => subtask.status), ['succeeded', 'succeeded', 'failed', 'pending']);
  });

  it("shows the mayor the task, the plan so far, the last round's outcome, findings and summary, then the refinement", () => {
    const started = next(finishedRun());
    const text = earlierWorkText({ record: started, summary: 'A todo API in Go.' });
    assert.equal(
      text,
      [
        'The plan so far:\n1. (round 1, succeeded; wrote store.go) Write the store in store.go\n2. (round 1, succeeded; wrote api.go) Write the handlers in api.go\n3. (round 1, failed; no answer) Write docs',
        'The last round ended failed: 1 of 3 subtasks did not finish.\nFiles written: store.go, api.go.',
        'Findings:\n- api.go:12: warning: DELETE ignores unknown ids',
        "The team's summary of the last round:\nA todo API in Go.",
      ].join('\n\n'),
    );
    const messages = followUpPlanMessages({ earlier: { record: started, summary: undefined }, refinement: started.refinement as string, maxSubtasks: 4, specialists: [], map: 'api.go\n  func Delete', override: undefined });
    assert.equal(messages[0].role, 'system');
    assert.equal(messages[0].content, builtInPrompt('mayor-followup').replace('{{max_subtasks}}', '4').replace('{{specialists}}', 'There are no specialists.'));
    assert.match(messages[1].content, /^Task:\nBuild a todo API\n\nThe plan so far:[\s\S]*The project as it is now[^\n]*\napi.go\n  func Delete\n\nThe refinement:\nDELETE must return 404 for unknown ids$/);
  });

  it("numbers the mayor's new subtasks on from the run's last, their dependencies with them", () => {
    const plan = parseFollowUpPlan('1. Return 404 in api.go [files: api.go]\n2. Test it [depends: 1] [files: api_test.go]\n', 3, { specialists: [], maxSubtasks: 4 });
    assert.deepEqual(plan.subtasks.map((subtask) => [subtask.index, subtask.dependsOn, subtask.files]), [
      [4, [], ['api.go']],
      [5, [4], ['api_test.go']],
    ]);
  });

  it('continues the worker that changed a file last, for each new subtask that names one; others start fresh', () => {
    const record = finishedRun();
    const authors = lastAuthors(record);
    assert.deepEqual([...authors], [['store.go', 1], ['api.go', 2]]);
    const subtasks = [
      { index: 4, files: ['api.go'] },
      { index: 5, files: ['new_test.go', 'store.go'] },
      { index: 6, files: ['README.md'] },
    ];
    assert.deepEqual([...continuations(subtasks, authors, () => true)], [[4, 2], [5, 1]]);
    assert.deepEqual([...continuations(subtasks, authors, (index) => index !== 2)], [[5, 1]], 'a worker whose answer was not kept cannot go on');
    // A record from before `changes`: the files each subtask's answer named, later rounds winning.
    const older = { ...record, changes: undefined, rounds: [{ ...endedRound({ ...record, changes: undefined }, undefined) }], subtasks: [...record.subtasks, { ...record.subtasks[0], index: 4, round: 2, files: ['api.go'] }] };
    assert.deepEqual([...lastAuthors(older)], [['store.go', 1], ['api.go', 4]]);
  });

  it('goes on from the kept prompt and answer, the refinement and the files as they are now as the next turn', () => {
    const prompt = [
      { role: 'system' as const, content: 'You are a polecat.' },
      { role: 'user' as const, content: 'Your subtask (2 of 3):\nWrite the handlers in api.go' },
    ];
    const subtask = { index: 4, text: 'Return 404 from DELETE for unknown ids', dependsOn: [], specialist: undefined, files: ['api.go'] };
    const messages = continuedConversation({ prompt, answer: 'api.go\n```go\n<<<<<<< SEARCH\n…', subtask: { ...subtask, index: 2, text: 'Write the handlers in api.go' }, total: 3 }, { task: 'Build a todo API', refinement: 'DELETE must return 404', subtask, material: ['api.go as it is now:\n```go\npackage main\n```'], override: undefined });
    assert.deepEqual(messages.map((message) => message.role), ['system', 'user', 'assistant', 'user']);
    assert.equal(messages[2].content, 'api.go\n```go\n<<<<<<< SEARCH\n…');
    assert.match(messages[3].content, /^The user looked at the result and asks for a refinement:\nDELETE must return 404\n\nYour part of it \(subtask 4\):\nReturn 404 from DELETE for unknown ids\n\n[\s\S]*api.go as it is now:\n```go\npackage main\n```\n\nAnswer with your changes\. Existing files: SEARCH\/REPLACE/);
    // Without a kept prompt (a run from before they were kept), the earlier subtask's brief is rebuilt.
    const rebuilt = continuedConversation({ prompt: undefined, answer: 'done', subtask: { ...subtask, index: 2, text: 'Write the handlers in api.go' }, total: 3 }, { task: 'Build a todo API', refinement: 'DELETE must return 404', subtask, material: [], override: undefined });
    assert.equal(rebuilt[0].content, builtInPrompt('polecat'));
    assert.match(rebuilt.map((message) => message.content).join('\n'), /The whole task:\nBuild a todo API[\s\S]*Your subtask \(2 of 3\):\nWrite the handlers in api.go[\s\S]*done/);
  });

  it('reads an edited follow-up plan numbered as it was shown: on from the run\'s last subtask, dependencies too', () => {
    const plan = parsePlan('4. Return 404 [files: api.go]\n5. Test it [depends: 4] [depends: 1]\n', { specialists: [], maxSubtasks: 4, firstIndex: 4 });
    assert.deepEqual(plan.subtasks.map((subtask) => [subtask.index, subtask.dependsOn]), [
      [4, []],
      [5, [4]],
    ]);
    assert.deepEqual(plan.warnings, ['subtask 5: ignored a dependency on subtask 1']);
  });

  it('puts the run back as it ended when the round is cancelled at its plan, the plan\'s cost still counted', () => {
    const earlier = finishedRun();
    const started = next(structuredClone(earlier));
    started.totals.usd = 0.52;
    started.totals.requests = 9;
    const restored = declinedRound(earlier, started);
    assert.deepEqual({ ...restored, totals: earlier.totals, warnings: [] }, { ...earlier, warnings: [] });
    assert.deepEqual([restored.totals.usd, restored.totals.requests], [0.52, 9]);
    assert.deepEqual(restored.warnings, ['a refinement ("DELETE must return 404 for unknown ids") was planned and cancelled at its plan, before any worker started; the run is as it was ($0.0200 spent on the plan)']);
  });

  it('opens the round (summary set aside, decisions forgotten) only once its plan is approved', async () => {
    const earlier = finishedRun();
    const record = next(structuredClone(earlier));
    let opened = 0;
    const round = new FollowUpRound({ refinement: 'DELETE must return 404 for unknown ids', summary: undefined, answers: new Map([[2, 'api.go written']]), prompts: new Map(), pending: [], earlier, open: async () => void opened++ });
    const context = {
      record,
      flags: record.flags,
      workingCopy: undefined,
      call: async () => ({ result: { text: '1. Return 404 in api.go [files: api.go]\n', usage: { outputTokens: 1 } }, entry: { reference: 'mayor' } }),
      warn: () => undefined,
      decide: () => undefined,
    } as unknown as PlanningContext;
    const inputs = (approve: PlanningInputs['approve']): PlanningInputs => ({ phase: undefined as unknown as PlanningInputs['phase'], chain: { systemPrompt: undefined } as unknown as PlanningInputs['chain'], specialists: [], mayorMap: () => undefined, filesOf: (files) => [...files], reviewed: false, approve });
    const shown: number[] = [];
    await assert.rejects(
      round.plan(context, inputs(async (subtasks, firstIndex) => {
        shown.push(firstIndex, ...subtasks.map((subtask) => subtask.index));
        throw new PlanDeclinedError();
      })),
      PlanDeclinedError,
    );
    assert.deepEqual([shown, opened, record.subtasks.length], [[4, 4], 0, 3]);
    assert.equal(round.undo(record), true);
    assert.deepEqual([record.status, record.rounds, record.refinement, record.synthesis], ['failed', undefined, undefined, '_synthesis.md']);
    const approved = next(structuredClone(earlier));
    const subtasks = await round.plan({ ...context, record: approved } as PlanningContext, inputs(async (proposed) => proposed));
    assert.deepEqual([subtasks.map((subtask) => subtask.index), opened, approved.subtasks.at(-1)?.continues], [[4], 1, 2]);
  });
});
