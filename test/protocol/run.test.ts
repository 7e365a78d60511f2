// The run engine over `et serve --stdio`, as a headless agent or the editor drives it: the same files
// as `et run`, a complete event stream in batches, cancel, the run list and record, one workspace edit
// for a client that can apply it, `$/progress`, and errors that name the field.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BudgetReachedParams, RunEvent, RunEventParams, RunRecord, RunStarted, RunSummary } from '../../server/src/protocol';
import { FakeOpenAi } from '../helpers/fake-openai';
import { answer, team } from '../helpers/fake-team';
import { GREET, GREET_HI, goodTeam, greeterConfig, MAIN, PLAN, README, REFINEMENT, refiningTeam } from '../helpers/greeter-scenario';
import { LspProcess, type JsonRpcMessage } from '../helpers/lsp-process';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };

describe('runs over et serve --stdio', function () {
  this.timeout(30_000);
  let openai: FakeOpenAi;
  let server: LspProcess;
  let directory: string;

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-serve-run-'));
    writeFileSync(path.join(directory, 'electrictown.yaml'), greeterConfig(openai.baseUrl));
    server = LspProcess.start(KEY);
  });
  afterEach(async () => {
    server.kill();
    await openai.stop();
  });

  const batches = (runId: string) => server.runEventBatches(runId);
  const runEnd = (runId: string) => server.runEnd(runId);
  const initialize = (capabilities: Record<string, unknown> = {}) => server.initialize({ rootUri: pathToFileURL(directory).href, capabilities });

  it('runs a task headless: the files on disk, a complete event stream in batches, the record and the list', async () => {
    openai.respondWith(team(goodTeam).responder);
    await initialize();
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', workers: 2 });
    assert.match(started.runId, /^[0-9a-f]{10}$/);
    assert.equal(path.dirname(started.folder), path.join(directory, 'logs'));
    await runEnd(started.runId);

    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'main.ts'), 'utf8'), MAIN);
    assert.equal(readFileSync(path.join(directory, 'out', 'README.md'), 'utf8'), README);

    const events = batches(started.runId).flat();
    assert.equal(events[0].kind, 'run-start');
    assert.equal(events.at(-1)?.kind, 'run-end');
    for (const kind of ['phase-start', 'phase-end', 'plan-ready', 'subtask-start', 'text-delta', 'attempt-end', 'review-end', 'subtask-end', 'file-write', 'cost-update', 'synthesis-end']) {
      assert.ok(events.some((event) => event.kind === kind), kind);
    }
    assert.deepEqual(events.filter((event) => event.kind === 'file-write').map((event) => (event as Extract<RunEvent, { kind: 'file-write' }>).path).sort(), ['README.md', 'src/greet.ts', 'src/main.ts']);
    // Batched: far fewer notifications than events, and one subtask's text is never split within a batch.
    assert.ok(batches(started.runId).length < events.length / 2, `${batches(started.runId).length} batches for ${events.length} events`);
    for (const batch of batches(started.runId)) {
      const deltas = batch.filter((event) => event.kind === 'text-delta').map((event) => (event as Extract<RunEvent, { kind: 'text-delta' }>).subtask);
      assert.equal(new Set(deltas).size, deltas.length);
    }

    const record = await server.request<RunRecord>('electrictown/getRun', { runId: started.runId });
    assert.deepEqual([record.status, record.exitCode, record.subtasks.length, record.totals.requests], ['succeeded', 0, 3, 10]);
    assert.deepEqual(JSON.parse(readFileSync(path.join(started.folder, 'run.json'), 'utf8')).status, 'succeeded');
    const list = await server.request<RunSummary[]>('electrictown/listRuns', {});
    assert.deepEqual(list.map((run) => [run.id, run.status, run.task]), [[started.runId, 'succeeded', 'Build a greeter']]);
    const costs = await server.request<{ total: { attempts: number; usd: number } }>('electrictown/costs', { by: 'model' });
    assert.equal(costs.total.attempts, 10);
    assert.ok(Math.abs(costs.total.usd - record.totals.usd) < 1e-12);
    assert.doesNotMatch(JSON.stringify(server.messages) + server.stderr, /fake-openai-key/);
  });

  it('asks a client that said budgetPrompt whether to raise the budget, goes on under its answer, and stops a client that says nothing', async () => {
    const scripted = team(goodTeam);
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      // The plan costs $8 (1,000,000 output tokens at $8/M): past the $4 budget.
      return scripted.calls.at(-1)?.phase === 'decompose' ? answer(PLAN, { prompt: 100, completion: 1_000_000 }) : reply;
    });
    const asked: BudgetReachedParams[] = [];
    server.onServerRequest('electrictown/budgetReached', (params) => {
      asked.push(params as BudgetReachedParams);
      return { raiseToUsd: 20 };
    });
    await server.initialize({ rootUri: pathToFileURL(directory).href, capabilities: {}, initializationOptions: { budgetPrompt: true } });
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', budgetUsd: 4 });
    await runEnd(started.runId);
    assert.equal(asked.length, 1);
    assert.deepEqual([asked[0].runId, asked[0].task, asked[0].limitUsd], [started.runId, 'Build a greeter', 4]);
    assert.ok(asked[0].spentUsd > 4 && asked[0].suggestedUsd > asked[0].limitUsd, JSON.stringify(asked[0]));
    const record = await server.request<RunRecord>('electrictown/getRun', { runId: started.runId });
    assert.deepEqual([record.status, record.flags.budgetUsd, record.budgetRaises?.map((raise) => raise.toUsd)], ['succeeded', 20, [20]]);
    const updates = batches(started.runId).flat().filter((event): event is Extract<RunEvent, { kind: 'cost-update' }> => event.kind === 'cost-update');
    assert.ok(updates.some((event) => event.budgetUsd === 20), 'the raise reaches the client as a cost update');

    // A client that answers with no raise (or an error, or nothing): the run stops at its budget as before.
    server.onServerRequest('electrictown/budgetReached', () => ({}));
    const stopped = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out2', budgetUsd: 4 });
    await runEnd(stopped.runId);
    assert.equal((await server.request<RunRecord>('electrictown/getRun', { runId: stopped.runId })).status, 'budget_exceeded');
  });

  it('cancels a run: calls stop, the record says cancelled, nothing is written into the project', async () => {
    let cancelSent = false;
    const scripted = team(goodTeam);
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      const call = scripted.calls.at(-1);
      if (call?.phase === 'work' && call.subtask === 2) {
        cancelSent = true;
        return { kind: 'hang' };
      }
      return reply;
    });
    await initialize();
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', workers: 1, coordinate: false });
    await server.waitFor((message) => message.method === 'electrictown/runEvent' && (message.params as RunEventParams).events.some((event) => event.kind === 'subtask-start' && event.subtask === 2 && event.purpose === 'work'), 20_000);
    while (!cancelSent) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(await server.request('electrictown/cancelRun', { runId: started.runId }), { cancelled: true });
    await runEnd(started.runId);
    const end = batches(started.runId).flat().at(-1) as Extract<RunEvent, { kind: 'run-end' }>;
    assert.deepEqual([end.status, end.exitCode], ['cancelled', 130]);
    assert.equal(JSON.parse(readFileSync(path.join(started.folder, 'run.json'), 'utf8')).status, 'cancelled');
    assert.equal(existsSync(path.join(directory, 'out')), false);
    assert.deepEqual(await server.request('electrictown/cancelRun', { runId: started.runId }), { cancelled: false });

    // Resumed, it asks only for what was not done, and writes the files.
    cancelSent = false;
    openai.respondWith(scripted.responder);
    const resumed = await server.request<RunStarted>('electrictown/run', { resume: started.runId });
    assert.equal(resumed.runId, started.runId);
    await server.waitFor((message) => message.method === 'electrictown/runEvent' && (message.params as RunEventParams).runId === started.runId && (message.params as RunEventParams).events.some((event) => event.kind === 'run-end' && event.status === 'succeeded'), 20_000);
    assert.equal(scripted.calls.filter((call) => call.phase === 'work' && call.subtask === 1).length, 1);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'main.ts'), 'utf8'), MAIN);
  });

  it('writes through one workspace/applyEdit for a client that can apply it, and reports $/progress', async () => {
    openai.respondWith(team(goodTeam).responder);
    const edits: unknown[] = [];
    server.onServerRequest('workspace/applyEdit', (params) => {
      edits.push(params);
      return { applied: true };
    });
    await initialize({ workspace: { applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] } }, window: { workDoneProgress: true } });
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out' });
    await runEnd(started.runId);
    assert.equal(edits.length, 1, 'one edit for the whole run');
    const { label, edit } = edits[0] as { label: string; edit: { documentChanges: { kind?: string; uri?: string; textDocument?: { uri: string }; edits?: { newText: string }[] }[] } };
    assert.equal(label, `electrictown run ${started.runId}`);
    const uri = (relative: string) => pathToFileURL(path.join(directory, 'out', relative)).href;
    assert.deepEqual(edit.documentChanges.filter((change) => change.kind === 'create').map((change) => change.uri).sort(), [uri('README.md'), uri('src/greet.ts'), uri('src/main.ts')]);
    assert.equal(edit.documentChanges.find((change) => change.textDocument?.uri === uri('src/greet.ts'))?.edits?.[0].newText, GREET);
    // The editor applies the edit; the server wrote nothing itself.
    assert.equal(existsSync(path.join(directory, 'out')), false);

    await server.waitFor((message) => message.method === '$/progress' && (message.params as { value: { kind: string } }).value.kind === 'end');
    const progress = server.messages.filter((message: JsonRpcMessage) => message.method === '$/progress').map((message) => (message.params as { value: { kind: string; message?: string; percentage?: number } }).value);
    assert.ok(server.messages.some((message) => message.method === 'window/workDoneProgress/create'));
    assert.equal(progress[0].kind, 'begin');
    assert.equal(progress.at(-1)?.kind, 'end');
    assert.ok(progress.some((value) => value.message === '3/3 subtasks' && value.percentage === 100));
  });

  it('continues a finished run with continueRunId: its pending proposals are the round\'s base, and the round proposes them again with its changes', async () => {
    const scripted = team(refiningTeam);
    openai.respondWith(scripted.responder);
    await initialize();
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', writeMode: 'review' });
    await runEnd(started.runId);
    // The user discards the README and leaves the rest pending: nothing of it is on disk.
    await server.request('electrictown/decideProposals', { runId: started.runId, paths: ['README.md'], decision: 'discarded' });
    assert.equal(existsSync(path.join(directory, 'out')), false);

    await assert.rejects(server.request('electrictown/run', { continueRunId: started.runId }), /task: missing: the refinement of the run to continue/);
    const continued = await server.request<RunStarted>('electrictown/run', { continueRunId: started.runId, task: REFINEMENT, writeMode: 'review' });
    assert.deepEqual([continued.runId, continued.folder], [started.runId, started.folder]);
    await server.waitFor((message) => message.method === 'electrictown/runEvent' && (message.params as RunEventParams).runId === started.runId && batches(started.runId).flat().filter((event) => event.kind === 'run-end').length === 2, 20_000);
    const events = batches(started.runId).flat();
    const round2 = events.slice(events.findIndex((event) => event.kind === 'run-end') + 1);
    const first = events.find((event) => event.kind === 'run-start') as Extract<RunEvent, { kind: 'run-start' }>;
    assert.deepEqual(round2[0], { ...first, round: 2, refinement: REFINEMENT });
    assert.deepEqual(round2.filter((event) => event.kind === 'plan-ready').map((event) => (event as Extract<RunEvent, { kind: 'plan-ready' }>).subtasks.map((subtask) => subtask.index)), [[4]]);
    // Subtask 4 edited greet.ts as proposed (no such file on disk), and the pending main.ts is proposed again; the discarded README is not.
    const record = await server.request<RunRecord>('electrictown/getRun', { runId: started.runId });
    assert.equal(record.status, 'succeeded');
    const proposed = (record.files.proposed ?? []).map((file) => [file.path, file.subtask, readFileSync(file.staged, 'utf8')]).sort();
    assert.deepEqual(proposed, [['src/greet.ts', 4, GREET_HI], ['src/main.ts', 2, MAIN]]);
    assert.deepEqual(record.changes?.find((change) => change.path === 'src/greet.ts')?.subtasks, [1, 4]);
    assert.equal(existsSync(path.join(directory, 'out')), false, 'nothing lands before the user accepts it');
    const decisions = await server.request<{ decisions: Record<string, string> }>('electrictown/decideProposals', { runId: started.runId, paths: ['src/main.ts'], decision: 'pending' });
    assert.deepEqual(decisions.decisions, { 'src/greet.ts': 'pending', 'src/main.ts': 'pending' });
    const list = await server.request<RunSummary[]>('electrictown/listRuns', {});
    assert.deepEqual(list.map((run) => [run.id, run.status]), [[started.runId, 'succeeded']]);
    await assert.rejects(server.request('electrictown/run', { continueRunId: 'ffffffffff', task: REFINEMENT }), /no run ffffffffff/);

    // A round that writes to disk does not land the proposals still waiting for review: it starts from the disk.
    openai.respondWith(team((call) => (call.phase === 'follow-up' ? '1. Write src/extra.ts exporting x. [files: src/extra.ts]' : call.phase === 'work' ? '===FILE: src/extra.ts===\nexport const x = 1;\n===ENDFILE===' : goodTeam(call))).responder);
    await server.request<RunStarted>('electrictown/run', { continueRunId: started.runId, task: 'add src/extra.ts', writeMode: 'disk' });
    await server.waitFor((message) => message.method === 'electrictown/runEvent' && batches(started.runId).flat().filter((event) => event.kind === 'run-end').length === 3, 20_000);
    const third = await server.request<RunRecord>('electrictown/getRun', { runId: started.runId });
    assert.deepEqual([third.status, third.rounds?.length, third.files.written.map((file) => file.path)], ['succeeded', 2, ['src/extra.ts']]);
    assert.deepEqual(readdirSync(path.join(directory, 'out', 'src')), ['extra.ts']);
    assert.match(third.warnings.join('\n'), /this round writes to disk, so it starts from the files there: the proposals still waiting for review \(src\/(greet|main)\.ts, src\/(greet|main)\.ts\) are not its base/);
  });

  it('stages the files for review with writeMode "review": nothing lands in the output, the record and events list them', async () => {
    openai.respondWith(team(goodTeam).responder);
    await initialize({ workspace: { applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } });
    mkdirSync(path.join(directory, 'out'));
    writeFileSync(path.join(directory, 'out', 'README.md'), 'old readme\n');
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', writeMode: 'review' });
    await runEnd(started.runId);
    assert.equal(server.messages.some((message) => message.method === 'workspace/applyEdit'), false);
    assert.deepEqual(readdirSync(path.join(directory, 'out')), ['README.md']);
    assert.equal(readFileSync(path.join(directory, 'out', 'README.md'), 'utf8'), 'old readme\n');
    const record = await server.request<RunRecord>('electrictown/getRun', { runId: started.runId });
    const proposed = (record.files.proposed ?? []).map((file) => ({ ...file })).sort((a, b) => a.path.localeCompare(b.path));
    assert.deepEqual(
      proposed.map((file) => [file.path, file.existed, file.target, file.staged]),
      ['README.md', 'src/greet.ts', 'src/main.ts'].map((file) => [file, file === 'README.md', path.join(directory, 'out', file), path.join(started.folder, 'proposed', file)]),
    );
    assert.equal(readFileSync(proposed[1].staged, 'utf8'), GREET);
    assert.deepEqual(record.files.written, []);
    const events = batches(started.runId).flat();
    assert.deepEqual(events.filter((event) => event.kind === 'file-propose').map((event) => (event as Extract<RunEvent, { kind: 'file-propose' }>).path).sort(), ['README.md', 'src/greet.ts', 'src/main.ts']);
    assert.equal(events.some((event) => event.kind === 'file-write'), false);
    // The build reads files from disk: review with iterate is refused, naming the field.
    await assert.rejects(server.request('electrictown/run', { task: 'Build it', writeMode: 'review', iterate: true }), /writeMode: with iterate, files are written to disk for the build to read; use "disk", not "review"/);
  });

  it('publishes the witness’s findings as diagnostics on the generated files, to any client', async () => {
    openai.respondWith(team((call) => (call.phase === 'review' && call.subtask === 3 ? 'SCORE: 7\nREASON: Thin.\nFINDINGS:\n- README.md:3:1: warning: say how to run it\n- ../../etc/passwd:1: error: made up' : goodTeam(call))).responder);
    await initialize();
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out' });
    await runEnd(started.runId);
    const readme = pathToFileURL(path.join(directory, 'out', 'README.md')).href;
    const published = await server.waitFor((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === readme);
    assert.deepEqual((published.params as { diagnostics: unknown[] }).diagnostics, [
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 10_000 } }, severity: 2, source: 'electrictown witness', message: 'say how to run it', data: { runId: started.runId, subtask: 3 } },
    ]);
    // The files without findings are cleared; the made-up path outside the output gets nothing.
    const greet = pathToFileURL(path.join(directory, 'out', 'src', 'greet.ts')).href;
    assert.deepEqual(((await server.waitFor((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === greet)).params as { diagnostics: unknown[] }).diagnostics, []);
    assert.equal(server.messages.some((message) => message.method === 'textDocument/publishDiagnostics' && /passwd/.test((message.params as { uri: string }).uri)), false);

    // "Ask refinery to fix": offered on the finding; running it applies the refinery's file as one edit.
    const [diagnostic] = (published.params as { diagnostics: { message: string }[] }).diagnostics;
    const actions = await server.request<{ title: string; command: { command: string; arguments: unknown[] } }[]>('textDocument/codeAction', { textDocument: { uri: readme }, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, context: { diagnostics: [diagnostic] } });
    assert.deepEqual(actions.map((action) => [action.title, action.command.command]), [['Ask refinery to fix: say how to run it', 'electrictown.askRefinery']]);
    const edits: unknown[] = [];
    server.onServerRequest('workspace/applyEdit', (params) => {
      edits.push(params);
      return { applied: true };
    });
    openai.respondWith(team((call) => (call.phase === 'refine' ? '===FILE: out/README.md===\n# Greeter\n\nRun `node src/main.ts`.\n===ENDFILE===' : goodTeam(call))).responder);
    const outcome = await server.request<{ applied: boolean; message: string }>('workspace/executeCommand', { command: actions[0].command.command, arguments: actions[0].command.arguments });
    assert.deepEqual(outcome, { applied: true, outcome: 'fixed', message: 'fixed by planner' });
    const { edit } = edits[0] as { edit: { documentChanges: { textDocument: { uri: string }; edits: { range: unknown; newText: string }[] }[] } };
    assert.deepEqual(edit.documentChanges, [{ textDocument: { uri: readme, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, newText: '# Greeter\n\nRun `node src/main.ts`.\n' }] }]);
    // The fixed finding is cleared from the file.
    await server.waitFor((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string; diagnostics: unknown[] }).uri === readme && (message.params as { diagnostics: unknown[] }).diagnostics.length === 0);
  });

  it('reviews one file with the witness (electrictown/reviewFile): its findings become that file’s diagnostics', async () => {
    openai.respondWith(team((call) => (call.phase === 'review' ? 'SCORE: 6\nREASON: Unclear.\nFINDINGS:\n- notes.md:2: warning: say what\n- other.md:1: error: not this file' : goodTeam(call))).responder);
    await initialize();
    writeFileSync(path.join(directory, 'notes.md'), 'on disk\n');
    const uri = pathToFileURL(path.join(directory, 'notes.md')).href;
    const result = await server.request('electrictown/reviewFile', { uri, text: '# Notes\nthings\n' });
    assert.deepEqual(result, { score: 6, reason: 'Unclear.', model: 'judge', findings: 1 });
    // The editor's text was reviewed, not the disk's.
    assert.match(JSON.stringify(openai.requests.at(-1)?.body), /things/);
    const published = await server.waitFor((message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === uri);
    assert.deepEqual((published.params as { diagnostics: unknown[] }).diagnostics, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 10_000 } }, severity: 2, source: 'electrictown witness', message: 'say what' }]);
    await assert.rejects(server.request('electrictown/reviewFile', { uri: 'untitled:1' }), /uri: a file: URI is needed/);
  });

  it('runs no build in a workspace the editor says is untrusted, until it is trusted', async () => {
    await server.initialize({ rootUri: pathToFileURL(directory).href, capabilities: {}, initializationOptions: { workspaceTrusted: false } });
    await assert.rejects(server.request('electrictown/run', { task: 'Build it', iterate: true }), /iterate: this workspace is not trusted, so no build command runs in it/);
    assert.equal(openai.requests.length, 0);
    openai.respondWith(team(goodTeam).responder);
    server.notify('electrictown/workspaceTrust', { trusted: true });
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', iterate: true });
    await runEnd(started.runId);
  });

  it('answers the config’s run defaults (electrictown/runDefaults): its budget or none, and the run’s error for a config with errors', async () => {
    await initialize();
    assert.deepEqual(await server.request('electrictown/runDefaults', {}), { configPath: path.join(directory, 'electrictown.yaml'), budgetUsd: null });
    writeFileSync(path.join(directory, 'budgeted.yaml'), `${greeterConfig(openai.baseUrl)}  budget_usd: 1.5\n`);
    assert.deepEqual(await server.request('electrictown/runDefaults', { configPath: 'budgeted.yaml' }), { configPath: path.join(directory, 'budgeted.yaml'), budgetUsd: 1.5 });
    writeFileSync(path.join(directory, 'broken.yaml'), 'providers:\n  openai: { type: nonsense }\n');
    const broken = await server.reply('electrictown/runDefaults', { configPath: 'broken.yaml' });
    assert.match(broken.error?.message ?? '', /broken\.yaml has errors/);
    // Reading it called no model and wrote nothing.
    assert.equal(openai.requests.length, 0);
    assert.equal(existsSync(path.join(directory, 'logs')), false);
  });

  it('refuses bad params with the field named, before any model call', async () => {
    await initialize();
    await assert.rejects(server.request('electrictown/run', { task: 'Build it', workers: 0 }), /workers: must be at least 1/);
    await assert.rejects(server.request('electrictown/run', { task: ' ' }), /task is empty/);
    await assert.rejects(server.request('electrictown/run', { task: 'Build it', wrokers: 2 }), /wrokers: unknown field; did you mean workers\?/);
    await assert.rejects(server.request('electrictown/run', { task: 'Build it', writeMode: 'workspaceEdit' }), /cannot apply workspace edits/);
    await assert.rejects(server.request('electrictown/getRun', { runId: 'ffffffffff' }), /no run ffffffffff in /);
    assert.equal(openai.requests.length, 0);
  });
});
