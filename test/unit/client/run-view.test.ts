// The Runs tree's model of a run: built from events as they arrive, it ends where the record says.
import assert from 'node:assert/strict';
import { applyEvents, buildLabel, formatDuration, formatUsd, progressMessage, resumedView, startingView, viewFromRecord } from '../../../client/src/runs/run-view';
import { periodStarts } from '../../../client/src/costs/costs-model';
import type { RunEvent, RunRecord, Spend } from '../../../server/src/protocol';

const spend = (usd: number, unpricedAttempts = 0, input = 10, output = 5): Spend => ({ tokens: { input, cachedInput: 0, output, reasoning: 0 }, usd, requests: 1, unpricedAttempts, estimatedAttempts: 0 });
const attempt = (subtask: number, usd: number | null) => ({ kind: 'attempt-end' as const, subtask, purpose: 'work' as const, role: 'polecat', reference: 'fast', provider: 'p', modelId: 'm', outcome: 'ok' as const, tokens: { input: 10, cachedInput: 0, output: 5, reasoning: 0 }, usd, estimated: false, durationMs: 3 });

describe('run view', () => {
  it('follows a run through its events: plan, live spend per subtask, files, builds and the end', () => {
    const view = startingView('abc', 'Build it', '/logs/abc', 1000);
    const events: RunEvent[] = [
      { kind: 'run-start', runId: 'abc', task: 'Build it', folder: '/logs/abc', outputDir: '/w/out', workers: 2 },
      { kind: 'phase-start', phase: 'decompose' },
      { kind: 'phase-end', phase: 'decompose', durationMs: 40 },
      { kind: 'plan-ready', subtasks: [{ index: 1, text: 'a', dependsOn: [], specialist: undefined }, { index: 2, text: 'b', dependsOn: [1], specialist: undefined }] },
      { kind: 'phase-start', phase: 'workers' },
      { kind: 'subtask-start', subtask: 1, purpose: 'work', chain: 'role polecat' },
    ];
    applyEvents(view, events, 2000);
    assert.deepEqual(view.phases, [{ name: 'decompose', durationMs: 40 }, { name: 'workers', durationMs: undefined }]);
    assert.deepEqual([view.subtasks[0].status, view.subtasks[0].chain, view.subtasks[0].startedAt, view.subtasks[1].status], ['running', 'role polecat', 2000, 'pending']);

    applyEvents(view, [attempt(1, 0.5), attempt(1, null)], 2100);
    assert.deepEqual([view.subtasks[0].tokens, view.subtasks[0].usd, view.subtasks[0].unpricedAttempts, view.subtasks[0].model], [30, 0.5, 1, 'fast']);

    applyEvents(view, [
      { kind: 'subtask-end', subtask: 1, status: 'succeeded', model: 'fast', spend: spend(0.5, 1, 20, 10), durationMs: 120, files: ['a.ts'], error: undefined },
      { kind: 'subtask-end', subtask: 2, status: 'skipped', model: undefined, spend: spend(0), durationMs: 0, files: [], error: 'subtask 1 failed' },
      { kind: 'file-propose', path: 'a.ts', bytes: 3, subtask: 1, target: '/w/out/a.ts', staged: '/logs/abc/proposed/a.ts', existed: false },
      { kind: 'file-refuse', path: '../x', reason: 'outside', subtask: 1 },
      { kind: 'build-start', iteration: 1, command: 'tsc' },
      { kind: 'build-end', iteration: 1, passed: false, errors: 2, durationMs: 900 },
      { kind: 'run-end', status: 'failed', exitCode: 1, error: 'a subtask failed', durationMs: 3000, spend: spend(0.7, 1) },
    ], 5000);
    assert.deepEqual([view.subtasks[0].tokens, view.subtasks[0].durationMs, view.subtasks[1].status, view.subtasks[1].error], [30, 120, 'skipped', 'subtask 1 failed']);
    assert.deepEqual(view.proposed.map((file) => file.target), ['/w/out/a.ts']);
    assert.deepEqual(view.refused, [{ path: '../x', reason: 'outside', subtask: 1 }]);
    // From a server before gates: the build has no gate name, and its log is the old one.
    assert.deepEqual(view.builds, [{ iteration: 1, command: 'tsc', gate: undefined, log: '_build_iter1.log', status: undefined, passed: false, errors: 2, durationMs: 900 }]);
    assert.deepEqual([view.status, view.error, view.endedAt, view.spend.usd], ['failed', 'a subtask failed', 5000, 0.7]);
  });

  it('follows several gates in one round, each to its own end, and labels them', () => {
    const view = startingView('r2', 't', '/f', 0);
    applyEvents(
      view,
      [
        { kind: 'build-start', iteration: 0, command: 'npm ci', gate: 'install', gateKind: 'setup' },
        { kind: 'build-end', iteration: 0, passed: true, errors: 0, durationMs: 5000, gate: 'install', status: 'passed' },
        { kind: 'build-start', iteration: 1, command: 'npm run build', gate: 'build', gateKind: 'build' },
        { kind: 'build-end', iteration: 1, passed: true, errors: 0, durationMs: 800, gate: 'build', status: 'passed' },
        { kind: 'build-start', iteration: 1, command: 'npm run test', gate: 'test', gateKind: 'test' },
        { kind: 'build-end', iteration: 1, passed: false, errors: 3, durationMs: 1200, gate: 'test', status: 'failed' },
      ],
      100,
    );
    assert.deepEqual(view.builds.map((build) => [buildLabel(build), build.passed, build.errors, build.log]), [
      ['setup · install', true, 0, '_gate_install_setup.log'],
      ['round 1 · build', true, 0, '_gate_build_iter1.log'],
      ['round 1 · test', false, 3, '_gate_test_iter1.log'],
    ]);
  });

  it('reads a past run from its record, with proposed files absent in older records', () => {
    const record = {
      id: 'r1', task: 't', status: 'succeeded', folder: '/f', outputDir: '/o', startedAt: '2026-11-22T10:00:00.000Z', endedAt: '2026-11-22T10:00:05.000Z', error: undefined,
      phases: [{ name: 'workers', startedAt: '', endedAt: '', durationMs: 10, attempts: [] }],
      subtasks: [{ index: 1, text: 'x', dependsOn: [], specialist: undefined, status: 'succeeded', model: 'fast', attempts: [], spend: spend(0.25), files: ['x.ts'], review: { score: 8, reason: '', passed: true, model: 'judge' }, revisions: 0, startedAt: '2026-11-22T10:00:01.000Z', endedAt: '2026-11-22T10:00:03.500Z', error: undefined, output: undefined }],
      files: { written: [{ path: 'x.ts', bytes: 1, subtask: 1 }], refused: [], conflicts: [] },
      findings: [], warnings: [], totals: { ...spend(0.25), byRole: {} }, build: undefined,
    } as unknown as RunRecord;
    const view = viewFromRecord(record, true);
    assert.deepEqual([view.interrupted, view.subtasks[0].durationMs, view.subtasks[0].tokens, view.subtasks[0].score, view.proposed, view.written], [true, 2500, 15, 8, [], [{ path: 'x.ts', subtask: 1 }]]);
  });

  it('resumes a cancelled run’s view: running again, the succeeded subtask kept through the plan sent again', () => {
    const plan: RunEvent = { kind: 'plan-ready', subtasks: [{ index: 1, text: 'a', dependsOn: [], specialist: undefined }, { index: 2, text: 'b', dependsOn: [], specialist: undefined }] };
    const ended = startingView('abc', 'Build it', '/logs/abc', 1000);
    applyEvents(ended, [
      plan,
      { kind: 'phase-start', phase: 'workers' },
      { kind: 'subtask-end', subtask: 1, status: 'succeeded', model: 'fast', spend: spend(0.5), durationMs: 120, files: ['a.ts'], error: undefined },
      { kind: 'subtask-end', subtask: 2, status: 'cancelled', model: undefined, spend: spend(0), durationMs: 50, files: [], error: 'cancelled' },
      { kind: 'run-end', status: 'cancelled', exitCode: 130, error: 'cancelled', durationMs: 300, spend: spend(0.5) },
    ], 2000);
    const view = resumedView(ended);
    assert.deepEqual([view.status, view.endedAt, view.error, view.phases, view.proposed], ['running', undefined, undefined, [], []]);
    assert.equal(ended.status, 'cancelled', 'the ended view is left as it was');
    applyEvents(view, [plan, { kind: 'subtask-start', subtask: 2, purpose: 'work', chain: 'role polecat' }], 3000);
    assert.deepEqual(view.subtasks.map((subtask) => [subtask.status, subtask.files]), [['succeeded', ['a.ts']], ['running', []]]);
    // A plan whose text changed is a different subtask: it starts over.
    applyEvents(view, [{ kind: 'plan-ready', subtasks: [{ index: 1, text: 'a, changed', dependsOn: [], specialist: undefined }] }], 3100);
    assert.deepEqual(view.subtasks.map((subtask) => subtask.status), ['pending']);
  });

  it("continues a finished run's view in a follow-up round: the earlier subtasks stay, the new ones follow them by their numbers", () => {
    const ended = startingView('abc', 'Build it', '/logs/abc', 1000);
    applyEvents(ended, [
      { kind: 'plan-ready', subtasks: [{ index: 1, text: 'a', dependsOn: [], specialist: undefined }, { index: 2, text: 'b', dependsOn: [], specialist: undefined }] },
      { kind: 'subtask-end', subtask: 1, status: 'succeeded', model: 'fast', spend: spend(0.5), durationMs: 120, files: ['a.ts'], error: undefined },
      { kind: 'subtask-end', subtask: 2, status: 'failed', model: 'fast', spend: spend(0.5), durationMs: 120, files: [], error: 'no edits' },
      { kind: 'run-end', status: 'failed', exitCode: 1, error: '1 of 2 subtasks did not finish', durationMs: 300, spend: spend(1) },
    ], 2000);
    const view = resumedView(ended);
    applyEvents(view, [
      { kind: 'run-start', runId: 'abc', task: 'Build it', folder: '/logs/abc', outputDir: '/w/out', workers: 2, round: 2, refinement: 'a.ts must export b' },
      { kind: 'plan-ready', subtasks: [{ index: 3, text: 'export b from a.ts', dependsOn: [], specialist: undefined }] },
      { kind: 'subtask-start', subtask: 3, purpose: 'work', chain: 'role polecat' },
      attempt(3, 0.25),
    ], 3000);
    assert.deepEqual(view.subtasks.map((subtask) => [subtask.index, subtask.status, subtask.usd]), [[1, 'succeeded', 0.5], [2, 'failed', 0.5], [3, 'running', 0.25]]);
    assert.deepEqual(view.round, { number: 2, refinement: 'a.ts must export b' });
    assert.equal(ended.round, undefined, 'round 1 says no round');
  });

  it('says where a run is for its progress notification: the phase, the subtasks settled, a build', () => {
    const view = startingView('abc', 'Build it', '/logs/abc', 1000);
    assert.equal(progressMessage(view), undefined);
    applyEvents(view, [{ kind: 'phase-start', phase: 'decompose' }], 1100);
    assert.equal(progressMessage(view), 'decompose');
    applyEvents(view, [
      { kind: 'phase-end', phase: 'decompose', durationMs: 40 },
      { kind: 'plan-ready', subtasks: [{ index: 1, text: 'a', dependsOn: [], specialist: undefined }, { index: 2, text: 'b', dependsOn: [], specialist: undefined }] },
      { kind: 'phase-start', phase: 'workers' },
      { kind: 'subtask-end', subtask: 1, status: 'failed', model: undefined, spend: spend(0.25), durationMs: 9, files: [], error: 'no' },
      { kind: 'cost-update', spend: spend(0.25), budgetUsd: null },
    ], 1200);
    assert.equal(progressMessage(view), '1/2 subtasks · $0.25');
    applyEvents(view, [
      { kind: 'subtask-end', subtask: 2, status: 'succeeded', model: 'fast', spend: spend(0), durationMs: 9, files: ['b.ts'], error: undefined },
      { kind: 'phase-end', phase: 'workers', durationMs: 90 },
      { kind: 'phase-start', phase: 'iterate' },
      { kind: 'build-start', iteration: 1, command: 'tsc' },
    ], 1300);
    assert.equal(progressMessage(view), 'build 1: tsc');
    applyEvents(view, [{ kind: 'build-end', iteration: 1, passed: true, errors: 0, durationMs: 5 }], 1400);
    assert.equal(progressMessage(view), 'iterate');
  });

  it('never shows unpriced spending as $0', () => {
    assert.equal(formatUsd(0, 0), '$0');
    assert.equal(formatUsd(0, 2), 'unpriced');
    assert.equal(formatUsd(0.004, 0), '$0.0040');
    assert.equal(formatUsd(1.5, 1), '$1.50 + unpriced');
    assert.deepEqual([formatDuration(250), formatDuration(4100), formatDuration(125_000)], ['250ms', '4.1s', '2m05s']);
  });

  it('starts the cost periods at local midnight, and the week six days before it', () => {
    const [today, week, all] = periodStarts(new Date(2026, 10, 22, 15, 30));
    assert.equal(today.since, new Date(2026, 10, 22).toISOString());
    assert.equal(week.since, new Date(2026, 10, 16).toISOString());
    assert.equal(all.since, undefined);
  });
});
