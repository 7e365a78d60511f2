// `et mcp` driven by the MCP SDK's own client over stdio, against the fake OpenAI team: the tools and
// their schemas, a run followed to its result with diffs, arguments of the wrong type, output folders
// outside the workspace or the roots, cancel, many runs under the server's limit, a client that goes
// away mid-run, progress notifications, and secrets that never reach an answer or a file.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import type { RunRecord } from '../../server/src/protocol';
import type { RunResult } from '../../server/src/run/run-result';
import type { RunStatusView } from '../../server/src/mcp/run-status';
import { FakeOpenAi } from '../helpers/fake-openai';
import { answer, team } from '../helpers/fake-team';
import { GREET, GREET_HI, goodTeam, greeterConfig, MAIN, README, REFINEMENT, refiningTeam } from '../helpers/greeter-scenario';
import { connectMcp, structured, textOf, type McpConnection } from '../helpers/mcp-client';
import { running } from '../helpers/processes';
import { until } from '../helpers/poll';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };
const TOOLS = ['ask', 'cancel_run', 'continue_run', 'costs', 'list_runs', 'models', 'review', 'run', 'run_result', 'run_status'];

describe('et mcp', function () {
  this.timeout(90_000);
  let openai: FakeOpenAi;
  let directory: string;
  const connections: McpConnection[] = [];

  const connect = async (options: { args?: string[]; roots?: string[]; env?: Record<string, string>; cwd?: string } = {}) => {
    const connection = await connectMcp({ cwd: options.cwd ?? directory, env: options.env ?? KEY, args: options.args, roots: options.roots });
    connections.push(connection);
    return connection;
  };

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-mcp-'));
    writeFileSync(path.join(directory, 'electrictown.yaml'), greeterConfig(openai.baseUrl));
  });
  afterEach(async () => {
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
    await openai.stop();
  });

  const waitForEnd = async (mcp: McpConnection, runId: string) => structured<RunStatusView>(await mcp.call('run_status', { run_id: runId, wait_seconds: 60 }, { timeout: 90_000 }));

  it('lists its tools with their schemas, and serves the config schema and its instructions', async () => {
    const mcp = await connect();
    const { tools } = await mcp.client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), TOOLS);
    const run = tools.find((tool) => tool.name === 'run');
    assert.deepEqual(run?.inputSchema.required, ['task']);
    const properties = run?.inputSchema.properties as Record<string, { type?: string; description?: string }>;
    for (const [name, type] of [['task', 'string'], ['output_dir', 'string'], ['context', 'array'], ['iterate', 'boolean'], ['gates', 'array'], ['budget_usd', 'number'], ['workers', 'integer']]) {
      assert.equal(properties[name]?.type, type, name);
      assert.ok((properties[name]?.description ?? '').length > 20, `${name} is described`);
    }
    const status = tools.find((tool) => tool.name === 'run_status')?.inputSchema.properties as Record<string, { maximum?: number; pattern?: string }>;
    assert.equal(status.wait_seconds.maximum, 600);
    assert.ok(status.run_id.pattern);
    assert.ok(tools.find((tool) => tool.name === 'review')?.outputSchema, 'review declares its structured output');
    assert.match(mcp.client.getInstructions() ?? '', /run_status/);

    const { resourceTemplates } = await mcp.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((template) => template.uriTemplate), ['electrictown://runs/{id}']);
    const schema = await mcp.client.readResource({ uri: 'electrictown://schema/electrictown.schema.json' });
    const text = String('text' in schema.contents[0] ? schema.contents[0].text : '');
    assert.equal((JSON.parse(text) as { title: string }).title, 'electrictown.yaml');
    assert.match(text, /"mcp_allow_outside"/);
  });

  it('runs a task: run answers at once with the id, run_status waits for the end, run_result has the files with their diffs', async () => {
    openai.respondWith(team(goodTeam).responder);
    mkdirSync(path.join(directory, 'out'));
    writeFileSync(path.join(directory, 'out', 'README.md'), '# Old\n');
    const mcp = await connect();
    const progress: Progress[] = [];
    const started = structured<{ runId: string; status: string; folder: string; outputDir: string }>(await mcp.call('run', { task: 'Build a greeter', output_dir: 'out', workers: 2 }, { onprogress: (update) => progress.push(update) }));
    assert.match(started.runId, /^[0-9a-f]{10}$/);
    assert.equal(started.status, 'running');
    assert.equal(path.dirname(started.folder), path.join(directory, 'logs'));
    assert.equal(started.outputDir, path.join(directory, 'out'));
    // Said as soon as the run was taken, before the answer (which waits for the run's folder).
    assert.deepEqual(progress.map((update) => update.message), [`run ${started.runId} starting`]);

    const ended = await waitForEnd(mcp, started.runId);
    assert.deepEqual([ended.status, ended.exitCode, ended.subtasks.total, ended.subtasks.succeeded, ended.files.sort()], ['succeeded', 0, 3, 3, ['README.md', 'src/greet.ts', 'src/main.ts']]);

    const result = structured<RunResult>(await mcp.call('run_result', { run_id: started.runId }));
    assert.deepEqual([result.status, result.exitCode, result.error, result.outputDir], ['succeeded', 0, null, path.join(directory, 'out')]);
    assert.equal(result.summary, 'A greeter library: `src/greet.ts` exports greet, `src/main.ts` prints a greeting.');
    const files = new Map(result.files.map((file) => [file.path, file]));
    assert.deepEqual([...files.keys()].sort(), ['README.md', 'src/greet.ts', 'src/main.ts']);
    const greet = files.get('src/greet.ts');
    assert.equal(greet?.created, true);
    assert.equal(greet?.diff, `--- /dev/null\n+++ b/src/greet.ts\n@@ -0,0 +1,3 @@\n${GREET.split('\n').filter(Boolean).map((line) => `+${line}`).join('\n')}\n`);
    const readme = files.get('README.md');
    assert.equal(readme?.created, false);
    assert.match(readme?.diff ?? '', /^--- a\/README\.md\n\+\+\+ b\/README\.md\n@@ -1,1 \+1,3 @@\n-# Old\n\+# Greeter\n/);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'main.ts'), 'utf8'), MAIN);
    assert.equal(readFileSync(path.join(directory, 'out', 'README.md'), 'utf8'), README);
    const record = JSON.parse(readFileSync(path.join(started.folder, 'run.json'), 'utf8')) as RunRecord;
    assert.ok(result.spend.usd > 0);
    assert.equal(result.spend.usd, record.totals.usd);
    assert.equal(result.spend.requests, 10);

    // The record as a resource, the run in the list, its spending in the ledger.
    const resource = await mcp.client.readResource({ uri: `electrictown://runs/${started.runId}` });
    assert.deepEqual(JSON.parse(String('text' in resource.contents[0] ? resource.contents[0].text : '')), record);
    const { resources } = await mcp.client.listResources();
    assert.ok(resources.some((listed) => listed.uri === `electrictown://runs/${started.runId}`));
    const listed = structured<{ runs: { id: string; status: string }[] }>(await mcp.call('list_runs', {}));
    assert.deepEqual(listed.runs.map((run) => [run.id, run.status]), [[started.runId, 'succeeded']]);
    const costs = structured<{ total: { attempts: number; usd: number } }>(await mcp.call('costs', { by: 'model' }));
    assert.equal(costs.total.attempts, 10);
  });

  it('refines a finished run with continue_run: a new round of the same run, answered at once, followed and collected like a run', async () => {
    const scripted = team(refiningTeam);
    openai.respondWith(scripted.responder);
    const mcp = await connect();
    const started = structured<{ runId: string; folder: string }>(await mcp.call('run', { task: 'Build a greeter', output_dir: 'out' }));
    assert.equal((await waitForEnd(mcp, started.runId)).status, 'succeeded');

    const continued = structured<{ runId: string; round: number; status: string; folder: string }>(await mcp.call('continue_run', { run_id: started.runId, refinement: REFINEMENT }));
    assert.deepEqual([continued.runId, continued.round, continued.status, continued.folder], [started.runId, 2, 'running', started.folder]);
    const ended = await waitForEnd(mcp, started.runId);
    assert.deepEqual([ended.status, ended.files], ['succeeded', ['src/greet.ts']]);
    const result = structured<RunResult>(await mcp.call('run_result', { run_id: started.runId }));
    assert.deepEqual(result.files.map((file) => [file.path, file.created]), [['src/greet.ts', false]]);
    assert.match(result.files[0].diff ?? '', /^-  return `Hello, \$\{name\}!`;\n\+  return `Hi, \$\{name\}!`;$/m);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET_HI);
    // The worker of subtask 1 went on: the follow-up's work call carries its round-1 answer.
    const work = scripted.calls.filter((call) => call.phase === 'work' && call.subtask === 4);
    assert.equal(work.length, 1);
    const record = JSON.parse(readFileSync(path.join(started.folder, 'run.json'), 'utf8')) as RunRecord;
    assert.deepEqual([record.rounds?.length, record.subtasks.at(-1)?.continues, record.refinement], [1, 1, REFINEMENT]);
    const listed = structured<{ runs: { id: string; status: string }[] }>(await mcp.call('list_runs', {}));
    assert.deepEqual(listed.runs.map((run) => [run.id, run.status]), [[started.runId, 'succeeded']]);

    // What cannot be refined is an error result in the CLI's words.
    const unknown = await mcp.call('continue_run', { run_id: 'abcdef0123', refinement: REFINEMENT });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /^error: no run abcdef0123/);
    writeFileSync(path.join(started.folder, 'run.json'), JSON.stringify({ ...record, status: 'cancelled' }));
    const cancelled = await mcp.call('continue_run', { run_id: started.runId, refinement: REFINEMENT });
    assert.deepEqual([cancelled.isError, textOf(cancelled)], [true, `error: run ${started.runId} was cancelled before its files were written; resume it first (et run --resume ${started.runId}), then refine it`]);
    const blank = await mcp.call('continue_run', { run_id: started.runId, refinement: '  ' });
    assert.deepEqual([blank.isError, textOf(blank)], [true, 'error: the refinement is empty: say what to change']);
  });

  it('answers arguments of the wrong type, or values out of range, with an error result and goes on serving', async () => {
    const mcp = await connect();
    const wrongType = await mcp.call('run', { task: 42 });
    assert.equal(wrongType.isError, true);
    assert.match(textOf(wrongType), /Input validation error[\s\S]*task/);
    const missing = await mcp.call('run_status', {});
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /run_id/);
    const badId = await mcp.call('run_result', { run_id: '../../etc' });
    assert.equal(badId.isError, true);
    assert.match(textOf(badId), /a run id is 8 or more lowercase hex digits/);
    // Checked by the same rules as `et run`, named as the tool names them.
    const tooMany = await mcp.call('run', { task: 'Build a greeter', workers: 1000 });
    assert.deepEqual([tooMany.isError, textOf(tooMany)], [true, 'error: workers must be at most 256']);
    const empty = await mcp.call('run', { task: '   ' });
    assert.deepEqual([empty.isError, textOf(empty)], [true, 'error: the task is empty: say what to build']);
    const unknown = await mcp.call('run_status', { run_id: 'abcdef0123' });
    assert.deepEqual([unknown.isError, textOf(unknown)], [true, `error: no run abcdef0123 in ${path.join(directory, 'logs')}`]);
    const both = await mcp.call('ask', { prompt: 'hi', role: 'witness', model: 'coder' });
    assert.deepEqual([both.isError, textOf(both)], [true, 'error: give role or model, not both']);
    const since = await mcp.call('costs', { since: 'yesterday-ish' });
    assert.equal(since.isError, true);
    // Still serving.
    assert.deepEqual(structured(await mcp.call('list_runs', {})), { runs: [] });
    assert.doesNotMatch(mcp.stderr(), /TypeError|at .*\.js:\d+/);
  });

  it('refuses an output folder outside the workspace, or outside the client\'s roots when it gives them, unless the config allows it', async () => {
    openai.respondWith(team(goodTeam).responder);
    const mcp = await connect();
    const outside = await mcp.call('run', { task: 'Build a greeter', output_dir: '../elsewhere' });
    assert.equal(outside.isError, true);
    assert.equal(textOf(outside), `error: output_dir "../elsewhere" is outside the workspace (${directory})\nhint: give a path inside it, or set defaults.mcp_allow_outside: true in the config to allow any`);
    const review = await mcp.call('review', { files: ['/etc/hostname'] });
    assert.equal(review.isError, true);
    assert.match(textOf(review), /^error: file "\/etc\/hostname" is outside the workspace/);
    assert.equal(existsSync(path.join(directory, 'logs', 'mcp-runs')), false, 'nothing was started');

    const root = path.join(directory, 'app');
    mkdirSync(root);
    const rooted = await connect({ roots: [root] });
    const notInRoot = await rooted.call('run', { task: 'Build a greeter', output_dir: 'out' });
    assert.equal(textOf(notInRoot), `error: output_dir "out" is outside the client's roots (${root})\nhint: give a path inside it, or set defaults.mcp_allow_outside: true in the config to allow any`);
    const inRoot = structured<{ runId: string }>(await rooted.call('run', { task: 'Build a greeter', output_dir: 'app/out' }));
    assert.equal((await waitForEnd(rooted, inRoot.runId)).status, 'succeeded');
    assert.equal(readFileSync(path.join(root, 'out', 'src', 'greet.ts'), 'utf8'), GREET);

    writeFileSync(path.join(directory, 'electrictown.yaml'), `${greeterConfig(openai.baseUrl)}  mcp_allow_outside: true\n`);
    const allowed = structured<{ runId: string; outputDir: string }>(await mcp.call('run', { task: 'Build a greeter', output_dir: '../elsewhere' }));
    assert.equal(allowed.outputDir, path.join(path.dirname(directory), 'elsewhere'));
    assert.equal((await waitForEnd(mcp, allowed.runId)).status, 'succeeded');
  });

  it('takes its workspace from --workspace when its client starts it elsewhere', async () => {
    openai.respondWith(team(goodTeam).responder);
    const mcp = await connect({ cwd: tmpdir(), args: ['--workspace', directory] });
    const started = structured<{ runId: string; outputDir: string }>(await mcp.call('run', { task: 'Build a greeter', output_dir: 'out' }));
    assert.equal(started.outputDir, path.join(directory, 'out'));
    assert.equal((await waitForEnd(mcp, started.runId)).status, 'succeeded');
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);
  });

  it('cancels a running run and a queued one', async () => {
    let hung = false;
    const scripted = team(goodTeam);
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      if (scripted.calls.at(-1)?.phase === 'work') {
        hung = true;
        return { kind: 'hang' };
      }
      return reply;
    });
    const mcp = await connect({ args: ['--max-runs', '1'] });
    const first = structured<{ runId: string }>(await mcp.call('run', { task: 'Build a greeter', output_dir: 'out', workers: 1, coordinate: false }));
    const second = structured<{ runId: string; status: string; position: number }>(await mcp.call('run', { task: 'Build another', output_dir: 'out2' }));
    assert.deepEqual([second.status, second.position], ['queued', 1]);
    assert.equal(structured<RunStatusView>(await mcp.call('run_status', { run_id: second.runId })).status, 'queued');
    const dequeued = structured<{ cancelled: boolean; status: string }>(await mcp.call('cancel_run', { run_id: second.runId }));
    assert.deepEqual([dequeued.cancelled, dequeued.status], [true, 'cancelled']);

    await until(() => hung, 'a worker waiting on its model');
    const cancelled = structured<{ cancelled: boolean; status: string }>(await mcp.call('cancel_run', { run_id: first.runId }));
    assert.deepEqual([cancelled.cancelled, cancelled.status], [true, 'cancelled']);
    const result = structured<RunResult>(await mcp.call('run_result', { run_id: first.runId }));
    assert.deepEqual([result.status, result.exitCode, result.files], ['cancelled', 130, []]);
    assert.equal(existsSync(path.join(directory, 'out')), false);
    const again = structured<{ cancelled: boolean; message: string }>(await mcp.call('cancel_run', { run_id: first.runId }));
    assert.deepEqual([again.cancelled, again.message], [false, `run ${first.runId} was not running: it is cancelled`]);
    // The queued run never started: no folder, and it says so.
    const never = structured<RunStatusView>(await mcp.call('run_status', { run_id: second.runId }));
    assert.deepEqual([never.status, never.message, never.folder], ['cancelled', 'cancelled before it started', null]);
  });

  it('queues 20 runs asked at once under a limit of 2, telling each its place, and runs them all', async () => {
    const scripted = team(goodTeam);
    // A plan that takes a while: the 20 calls all arrive while the first runs still plan.
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      return scripted.calls.at(-1)?.phase === 'decompose' && reply.kind === 'answer' ? { ...reply, endDelayMs: 300 } : reply;
    });
    const mcp = await connect({ args: ['--max-runs', '2'] });
    const asked = await Promise.all(Array.from({ length: 20 }, (_, index) => mcp.call('run', { task: `Build greeter ${index}`, output_dir: `out/${index}`, workers: 3 })));
    const answers = asked.map((result) => structured<{ runId: string; status: string; position: number | null }>(result));
    assert.equal(answers.filter((answer) => answer.status === 'running').length, 2, JSON.stringify(answers));
    assert.deepEqual(answers.filter((answer) => answer.status === 'queued').map((answer) => answer.position).sort((a, b) => (a ?? 0) - (b ?? 0)), Array.from({ length: 18 }, (_, index) => index + 1));

    const listed = structured<{ runs: { id: string; status: string; position: number | null }[] }>(await mcp.call('list_runs', { limit: 50 }));
    assert.ok(listed.runs.filter((run) => run.status === 'queued').length > 0, 'the line is listed');

    const ended = [];
    for (const { runId } of answers) ended.push(await waitForEnd(mcp, runId));
    assert.deepEqual(ended.map((view) => view.status), Array(20).fill('succeeded'));
    for (let index = 0; index < 20; index++) assert.equal(readFileSync(path.join(directory, 'out', String(index), 'src', 'greet.ts'), 'utf8'), GREET);
    // Never more than two at once: count the runs under way at each start.
    const spans = ended.map((view) => [Date.parse(view.startedAt ?? ''), Date.parse(view.endedAt ?? '')]);
    const most = Math.max(...spans.map(([start]) => spans.filter(([from, to]) => from <= start && start < to).length));
    assert.ok(most <= 2, `${most} runs at once`);
  });

  it('lets a run go on when its client goes away: a new client finds it by id, finished, its files on disk', async () => {
    const scripted = team(goodTeam);
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      return scripted.calls.at(-1)?.phase === 'work' && reply.kind === 'answer' ? { ...reply, endDelayMs: 1500 } : reply;
    });
    const first = await connect();
    const started = structured<{ runId: string }>(await first.call('run', { task: 'Build a greeter', output_dir: 'out', workers: 3 }));
    const serverPid = first.transport.pid;
    await first.close();
    assert.ok(serverPid !== null && !running(serverPid), 'the first server is gone');
    assert.equal(existsSync(path.join(directory, 'out', 'README.md')), false, 'the run was still under way');

    const second = await connect();
    const ended = await waitForEnd(second, started.runId);
    assert.deepEqual([ended.status, ended.files.length], ['succeeded', 3]);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);
    const record = JSON.parse(readFileSync(path.join(ended.folder ?? '', 'run.json'), 'utf8')) as RunRecord;
    assert.notEqual(record.pid, serverPid, 'the run had a process of its own');
  });

  it('sends progress notifications while run_status waits, when the client gives a progress token', async () => {
    const scripted = team(goodTeam);
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      return reply.kind === 'answer' ? { ...reply, endDelayMs: 150 } : reply;
    });
    const mcp = await connect();
    const started = structured<{ runId: string }>(await mcp.call('run', { task: 'Build a greeter', output_dir: 'out', workers: 1 }));
    const progress: Progress[] = [];
    const ended = structured<RunStatusView>(await mcp.call('run_status', { run_id: started.runId, wait_seconds: 60 }, { onprogress: (update) => progress.push(update), timeout: 90_000 }));
    assert.equal(ended.status, 'succeeded');
    assert.ok(progress.length >= 3, JSON.stringify(progress));
    for (let index = 1; index < progress.length; index++) assert.ok(progress[index].progress > progress[index - 1].progress, 'progress grows');
    const messages = progress.map((update) => update.message ?? '');
    assert.ok(messages.some((message) => /· workers · \d\/3 subtasks · \$/.test(message)), messages.join('\n'));
    assert.ok(messages.every((message) => message.startsWith(`run ${started.runId} `)), messages.join('\n'));
    // The client handles a notification a tick after it reads it, so the last one, sent just before the
    // answer, may come after the answer; the answer itself says how the run ended.
    assert.ok(new Set(messages.map((message) => /(\d)\/3 subtasks/.exec(message)?.[1]).filter(Boolean)).size >= 2, messages.join('\n'));
  });

  it('never shows a key: not in an answer, an error, a record, a log or on stderr', async () => {
    const secret = 'plain-secret-value-0123456789';
    const echo = JSON.stringify({ error: { message: `Incorrect API key provided: ${secret}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    openai.respondWith(() => ({ kind: 'error', status: 401, body: echo }));
    writeFileSync(path.join(directory, 'notes.md'), '# Notes\n');
    const mcp = await connect({ env: { ET_TEST_OPENAI_KEY: secret } });
    const said: string[] = [];
    const keep = (result: Awaited<ReturnType<McpConnection['call']>>) => {
      said.push(JSON.stringify(result));
      return result;
    };
    const asked = keep(await mcp.call('ask', { prompt: 'What is 6 times 7?' }));
    assert.equal(asked.isError, true);
    assert.match(textOf(asked), /HTTP 401[\s\S]*hint: provider openai takes its key from \$ET_TEST_OPENAI_KEY/);
    const started = structured<{ runId: string }>(keep(await mcp.call('run', { task: 'Build a greeter', output_dir: 'out' })));
    const ended = await waitForEnd(mcp, started.runId);
    said.push(JSON.stringify(ended));
    assert.equal(ended.status, 'failed');
    keep(await mcp.call('run_result', { run_id: started.runId }));
    keep(await mcp.call('list_runs', {}));
    keep(await mcp.call('review', { files: ['notes.md'] }));
    keep(await mcp.call('costs', {}));
    keep(await mcp.call('models', {}));
    said.push(JSON.stringify(await mcp.client.readResource({ uri: `electrictown://runs/${started.runId}` })));
    assert.ok(said.join('').includes('[redacted]') || said.join('').includes('HTTP 401'), 'the failures were reported');
    for (const text of said) assert.ok(!text.includes(secret), `a key in: ${text.slice(0, 300)}`);
    assert.ok(!mcp.stderr().includes(secret), 'a key on stderr');
    // Every file the server and its runs wrote: records, tickets, the runs' logs, failed-request dumps.
    const files = (folder: string): string[] => readdirSync(folder).flatMap((name) => (statSync(path.join(folder, name)).isDirectory() ? files(path.join(folder, name)) : [path.join(folder, name)]));
    const written = files(path.join(directory, 'logs'));
    assert.ok(written.some((file) => file.includes('mcp-runs')) && written.some((file) => file.endsWith('run.json')));
    for (const file of written) assert.ok(!readFileSync(file, 'utf8').includes(secret), `a key in ${file}`);
  });

  it('asks a role, and reviews files with findings as structured content', async () => {
    openai.respondWith((request) => {
      const system = JSON.stringify(request.body?.messages ?? []);
      return system.includes('review') || system.includes('witness') ? answer('SCORE: 6\nREASON: One bug.\nFINDINGS:\nsrc/app.ts:2:3: error: greet is never called') : answer('42');
    });
    mkdirSync(path.join(directory, 'src'));
    writeFileSync(path.join(directory, 'src', 'app.ts'), 'const a = 1;\nfunction greet() {}\n');
    const mcp = await connect();
    const asked = structured<{ text: string; model: string; usd: number | null }>(await mcp.call('ask', { prompt: 'What is 6 times 7?', role: 'polecat' }));
    assert.deepEqual([asked.text, asked.model], ['42', 'coder']);
    assert.ok((asked.usd ?? 0) > 0);
    const reviewed = structured<{ reviews: { file: string; score: number | null; findings: { line: number; column: number | null; severity: string; message: string }[]; error: string | null }[]; errors: number }>(await mcp.call('review', { files: ['src/app.ts'] }));
    assert.deepEqual(reviewed.reviews.map((review) => [review.file, review.score, review.error]), [['src/app.ts', 6, null]]);
    assert.deepEqual(reviewed.reviews[0].findings.map((finding) => [finding.line, finding.column, finding.severity, finding.message]), [[2, 3, 'error', 'greet is never called']]);
    assert.equal(reviewed.errors, 1);
    const missing = await mcp.call('review', { files: ['src/none.ts'] });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /^error: src\/none\.ts: cannot be read \(ENOENT\)/);
  });
});
