// The decisions et mcp makes without I/O: the line of runs, where an agent may write, the run flags its
// arguments stand for, what run_status says, and how a failure reads.
import assert from 'node:assert/strict';
import path from 'node:path';
import { runFlagsFromArgs, runFlagsToArgs } from '../../../server/src/cli/command-run';
import { CliError } from '../../../server/src/cli/context';
import { ConfigLoadError } from '../../../server/src/config/config-load-error';
import { isInside, placeRefusal, rootFolders } from '../../../server/src/mcp/allowed-places';
import { argumentName, runFlagsOf } from '../../../server/src/mcp/run-arguments';
import { failureOf } from '../../../server/src/mcp/run-launcher';
import { RunQueue } from '../../../server/src/mcp/run-queue';
import { isSettled, progressLine, recordStatus, ticketStatus } from '../../../server/src/mcp/run-status';
import { errorText } from '../../../server/src/mcp/tool-result';
import type { RunFlags } from '../../../server/src/protocol';
import { RunOptionsError } from '../../../server/src/run/run-options';
import { newRunRecord } from '../../../server/src/run/run-record';
import { resolveRunSettings } from '../../../server/src/run/run-options';

describe('et mcp, its pure parts', () => {
  it('runs at most `limit` at once; the rest wait in order, each told its place, and move up as runs end', () => {
    const queue = new RunQueue<string>(2);
    assert.deepEqual(['a', 'b', 'c', 'd', 'e'].map((id) => queue.offer(id, id)), [{ start: true }, { start: true }, { start: false, position: 1 }, { start: false, position: 2 }, { start: false, position: 3 }]);
    assert.equal(queue.remove('d'), true);
    assert.equal(queue.position('e'), 2);
    assert.equal(queue.release('c'), undefined, 'a waiting run frees no slot');
    assert.deepEqual(queue.release('a'), { id: 'c', item: 'c' });
    assert.deepEqual([queue.runningCount, queue.isRunning('c'), queue.position('e')], [2, true, 1]);
    // A new arrival never jumps the line, even with a slot free.
    queue.release('b');
    assert.deepEqual([queue.isRunning('e'), queue.offer('f', 'f')], [true, { start: false, position: 1 }]);
    assert.deepEqual(queue.drop().map((entry) => entry.id), ['f']);
  });

  it('tells inside from outside after symlinks are resolved, not by a shared prefix', () => {
    assert.equal(isInside('/w', '/w'), true);
    assert.equal(isInside('/w/out/a', '/w'), true);
    assert.equal(isInside('/wx/out', '/w'), false);
    assert.equal(isInside('/', '/w'), false);
    assert.equal(isInside('/w/..x', '/w'), true, 'a name that starts with two dots is inside');
    const allowed = { folders: ['/w/app', '/w/lib'], description: "the client's roots (/w/app, /w/lib)" };
    assert.equal(placeRefusal('output_dir', 'lib/x', '/w/lib/x', allowed), undefined);
    assert.equal(placeRefusal('output_dir', '.', '/w', allowed), `output_dir "." is outside the client's roots (/w/app, /w/lib)`);
    assert.deepEqual(rootFolders([{ uri: 'file:///w/app' }, { uri: 'https://example.com/repo' }, { uri: 'file:///w/with%20space' }]), ['/w/app', '/w/with space']);
  });

  it("maps the run tool's arguments onto et run's flags, names them back in messages, and passes them to et run's command line unchanged", () => {
    const flags = runFlagsOf({ task: 'x', output_dir: 'out', context: ['src/**/*.ts', 'README.md'], iterate: true, gates: ['test:go test ./...', 'go vet ./...'], build_command: 'make all', max_iterations: 2, protect_tests: true, budget_usd: 1.5, subtask_budget_usd: 0.25, workers: 3, max_subtasks: 6, timeout_minutes: 20, role: 'mayor', reviewer: false, refinery: false, synthesize: false, coordinate: false, map_tokens: 0 });
    const given = Object.fromEntries(Object.entries(flags).filter(([, value]) => value !== undefined)) as RunFlags;
    assert.equal(Object.keys(given).length, 18, 'every argument but the task is a flag');
    assert.deepEqual(runFlagsFromArgs([...runFlagsToArgs(given), '--', '-x', 'starts', 'with', 'a', 'dash']), { task: '-x starts with a dash', flags: given, json: false, resume: undefined });
    // Defaults stay defaults: nothing given, nothing passed.
    assert.deepEqual(runFlagsToArgs(runFlagsOf({ task: 'x' })), []);
    assert.deepEqual(runFlagsToArgs({ reviewer: true, sandbox: false, iterate: false }), ['--no-sandbox']);
    assert.deepEqual(['maxSubtasks', 'budgetUsd', 'outputDir', 'workers'].map(argumentName), ['max_subtasks', 'budget_usd', 'output_dir', 'workers']);
  });

  it('words a failure as et does, with the argument named as the tool names it, and no stack', () => {
    assert.equal(errorText(new CliError('no config found; tried /w/electrictown.yaml', 'pass --config PATH')), 'error: no config found; tried /w/electrictown.yaml\nhint: pass --config PATH');
    assert.equal(errorText(new ConfigLoadError('/w/electrictown.yaml has errors', 'see them with: et config check /w/electrictown.yaml')), 'error: /w/electrictown.yaml has errors\nhint: see them with: et config check /w/electrictown.yaml');
    assert.equal(errorText(new RunOptionsError('maxSubtasks', 'must be at most 200')), 'error: max_subtasks must be at most 200');
    assert.equal(errorText(new TypeError("Cannot read properties of undefined (reading 'x')")), "error: internal error: Cannot read properties of undefined (reading 'x')");
    assert.equal(failureOf('warning: something\nerror: --workers must be at least 1\nhint: et run --help lists the options\n'), 'error: --workers must be at least 1\nhint: et run --help lists the options');
    assert.equal(failureOf(''), 'its process stopped before the run began, and said nothing');
  });

  it("says where a run is from its record: the phase under way, subtasks, files, gates and spend, and whether it is over", () => {
    const settings = resolveRunSettings('Build a greeter\nin TypeScript', { outputDir: 'out', budgetUsd: 2 }, { providers: {} }, '/w');
    const record = newRunRecord({ id: 'abcdef0123', settings, config: { path: '/w/electrictown.yaml', sha256: '0' }, folder: '/w/logs/2026-01-01_abcdef0123', startedAt: new Date('2026-01-01T10:00:00Z'), pid: 4242 });
    record.phases.push({ name: 'decompose', startedAt: '2026-01-01T10:00:00Z', endedAt: '2026-01-01T10:00:01Z', durationMs: 1000, attempts: [] }, { name: 'workers', startedAt: '2026-01-01T10:00:01Z', endedAt: undefined, durationMs: undefined, attempts: [] });
    const subtask = (index: number, status: 'succeeded' | 'running' | 'failed') => ({ index, text: `Write part ${index}\nwith details`, dependsOn: [], specialist: undefined, status, model: 'coder', attempts: [], spend: record.totals, files: [`src/${index}.ts`], review: undefined, revisions: 0, startedAt: undefined, endedAt: undefined, error: status === 'failed' ? 'no model answered' : undefined, output: undefined });
    record.subtasks.push(subtask(1, 'succeeded'), subtask(2, 'running'), subtask(3, 'failed'));
    record.files.written.push({ path: 'src/1.ts', bytes: 10, subtask: 1 });
    record.totals.usd = 0.01234;
    const view = recordStatus(record, false, Date.parse('2026-01-01T10:00:05Z'));
    assert.deepEqual([view.status, view.phase, view.phasesDone, view.elapsedMs, view.budgetUsd], ['running', 'workers', ['decompose'], 5000, 2]);
    assert.deepEqual([view.subtasks.total, view.subtasks.succeeded, view.subtasks.running, view.subtasks.failed], [3, 1, 1, 1]);
    assert.deepEqual(view.subtasks.list.map((entry) => entry.text), ['Write part 1', 'Write part 2', 'Write part 3']);
    assert.deepEqual(view.files, ['src/1.ts']);
    assert.equal(progressLine(view), 'run abcdef0123 running · workers · 2/3 subtasks · $0.0123');
    assert.equal(isSettled(view), false);
    // Its process died: over, and it says how to go on.
    const died = recordStatus(record, true, Date.now());
    assert.deepEqual([isSettled(died), died.message], [true, 'its process (4242) is gone; resume it with: et run --resume abcdef0123']);
    const queued = ticketStatus({ id: 'abcdef0123', task: 't', outputDir: '/w/out', budgetUsd: null }, 'queued', 3, null);
    assert.deepEqual([progressLine(queued), isSettled(queued), isSettled({ status: 'dropped', interrupted: false })], ['run abcdef0123 queued at place 3', false, true]);
    assert.equal(path.isAbsolute(view.outputDir), true);
  });
});
