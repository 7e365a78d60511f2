// Status that is live: a subtask's cost split into the worker's calls and the witness's review, runs
// ordered by start (a resumed run keeps its first start), and the Costs totals kept up as calls land.
import assert from 'node:assert/strict';
import type { RunAttempt, RunEvent, RunRecord, Spend } from '../../../server/src/protocol';
import { addCalls } from '../../../client/src/costs/live-costs';
import type { CostsSnapshot } from '../../../client/src/costs/costs-model';
import { applyEvents, newestFirst, startingView, subtaskCostText, viewFromRecord, workerCost } from '../../../client/src/runs/run-view';

const call = (purpose: RunAttempt['purpose'], role: string, reference: string, usd: number | null, outcome: RunAttempt['outcome'] = 'ok'): RunAttempt => ({ purpose, role, reference, provider: 'p', modelId: reference, outcome, tokens: { input: 40, cachedInput: 10, output: 12, reasoning: 0 }, usd, estimated: false, durationMs: 5 });
const spend = (usd: number, unpricedAttempts: number, tokens: number): Spend => ({ tokens: { input: tokens, cachedInput: 0, output: 0, reasoning: 0 }, usd, requests: 2, unpricedAttempts, estimatedAttempts: 0 });

describe('a subtask’s cost', () => {
  it('shows the worker’s own calls and the review’s apart, live and from the record alike', () => {
    const view = startingView('r', 't', '/f', 0);
    const events: RunEvent[] = [
      { kind: 'plan-ready', subtasks: [{ index: 1, text: 'a', dependsOn: [], specialist: undefined }] },
      { kind: 'attempt-end', subtask: 1, ...call('work', 'polecat', 'free', null) },
      { kind: 'attempt-end', subtask: 1, ...call('review', 'witness', 'priced', 0.0004) },
    ];
    applyEvents(view, events, 1);
    const [subtask] = view.subtasks;
    assert.equal(subtask.model, 'free', 'the worker’s model, not the witness’s');
    assert.deepEqual(subtask.review, { tokens: 52, usd: 0.0004, unpricedAttempts: 0 });
    assert.deepEqual(workerCost(subtask), { tokens: 52, usd: 0, unpricedAttempts: 1 });
    assert.equal(subtaskCostText(subtask), 'work 52 tok unpriced · review 52 tok $0.0004');
    // The subtask's end carries the total; the split stays.
    applyEvents(view, [{ kind: 'subtask-end', subtask: 1, status: 'succeeded', model: 'free', spend: spend(0.0004, 1, 104), durationMs: 9, files: [], error: undefined }], 2);
    assert.equal(subtaskCostText(view.subtasks[0]), 'work 52 tok unpriced · review 52 tok $0.0004');

    const record = { id: 'r', task: 't', status: 'succeeded', folder: '/f', outputDir: '/o', startedAt: '2026-11-22T10:00:00.000Z', endedAt: undefined, error: undefined, phases: [], files: { written: [], refused: [], conflicts: [] }, findings: [], totals: spend(0.0004, 1, 104), build: undefined,
      subtasks: [{ index: 1, text: 'a', status: 'succeeded', model: 'free', attempts: [call('work', 'polecat', 'free', null), call('review', 'witness', 'priced', 0.0004)], spend: spend(0.0004, 1, 104), files: [], review: undefined, startedAt: undefined, endedAt: undefined, error: undefined }] } as unknown as RunRecord;
    assert.equal(subtaskCostText(viewFromRecord(record).subtasks[0]), 'work 52 tok unpriced · review 52 tok $0.0004');
  });

  it('without a review, is the worker’s alone; with no calls, nothing', () => {
    const view = startingView('r', 't', '/f', 0);
    applyEvents(view, [{ kind: 'plan-ready', subtasks: [{ index: 1, text: 'a', dependsOn: [], specialist: undefined }, { index: 2, text: 'b', dependsOn: [], specialist: undefined }] }, { kind: 'attempt-end', subtask: 1, ...call('work', 'polecat', 'fast', 0.02) }], 1);
    assert.deepEqual(view.subtasks.map(subtaskCostText), ['work 52 tok $0.02', '']);
  });
});

describe('the runs’ order', () => {
  it('is by start time, newest first, live or past; a resumed run keeps its first start', () => {
    const live = (id: string, startedAt: number) => ({ id, view: { startedAt }, summary: undefined });
    const past = (id: string, startedAt: string) => ({ id, view: undefined, summary: { startedAt } });
    const ordered = newestFirst([live('resumed', Date.parse('2026-01-01T08:00:00Z')), past('b', '2026-01-01T10:00:00Z'), live('new', Date.parse('2026-01-01T12:00:00Z')), past('a', '2026-01-01T09:00:00Z')]);
    assert.deepEqual(ordered.map((run) => run.id), ['new', 'b', 'a', 'resumed']);
  });
});

describe('the Costs totals as calls land', () => {
  const row = (key: string, usd: number, attempts = 1) => ({ key, attempts, answered: attempts, inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, cachedShare: 0, outputTokens: 0, usd, cacheSavedUsd: 0, unpricedAttempts: 0, estimatedAttempts: 0 });
  const snapshot = (readAt: Date): CostsSnapshot => ({
    ledger: '/l',
    readAt: readAt.getTime(),
    periods: (['today', 'week', 'all'] as const).map((key) => ({ key, label: key, total: row('total', 1, 2), by: { role: [row('mayor', 1, 2)], provider: [row('p', 1, 2)], model: [row('big', 1, 2)] } })),
  });

  it('adds each call to every period’s total and to its role’s, provider’s and model’s rows, costliest first', () => {
    const now = new Date(2026, 0, 5, 12);
    const costs = snapshot(new Date(2026, 0, 5, 9));
    assert.equal(addCalls(costs, [call('review', 'witness', 'judge', 2.5), call('work', 'polecat', 'free', null), call('work', 'polecat', 'free', 0, 'skipped')], now), true);
    for (const period of costs.periods) {
      assert.deepEqual([period.total.attempts, period.total.usd, period.total.unpricedAttempts, period.total.inputTokens, period.total.cachedInputTokens], [4, 3.5, 1, 80, 20]);
      assert.deepEqual(period.by.role.map((entry) => [entry.key, entry.usd, entry.attempts]), [['witness', 2.5, 1], ['mayor', 1, 2], ['polecat', 0, 1]]);
      assert.deepEqual(period.by.model.map((entry) => entry.key), ['judge', 'big', 'free']);
      assert.equal(period.total.cachedShare, 20 / 80);
    }
  });

  it('leaves a snapshot read on an earlier day to the ledger (its “today” is over)', () => {
    const costs = snapshot(new Date(2026, 0, 4, 23));
    assert.equal(addCalls(costs, [call('work', 'polecat', 'free', 1)], new Date(2026, 0, 5, 0, 5)), false);
    assert.equal(costs.periods[0].total.usd, 1);
  });
});
