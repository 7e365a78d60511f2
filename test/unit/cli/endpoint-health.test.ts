// Endpoint health as `et` users meet it, in-process: a dead endpoint found by one run is not called by
// the next, a broken health file or a lock left by a killed process costs one warning and nothing else,
// 16 workers finish against a provider that answers 5 at a time, and a provider that refuses everything
// ends a run with what it said. Two `et` processes sharing a log folder: test/protocol/endpoint-health.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../../server/src/protocol';
import { HEALTH_FILE_NAME } from '../../../server/src/router/health-file';
import { sharedHealth } from '../../../server/src/router/health-registry';
import { FakeOpenAi, type OpenAiReply } from '../../helpers/fake-openai';
import { fileBlock, team } from '../../helpers/fake-team';
import { onlyRunFolder } from '../../helpers/poll';
import { NO_QUOTA, primaryAndBackupConfig } from '../../helpers/primary-and-backup';
import { runEt } from '../../helpers/run-cli';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };
const SERVER_ERROR: OpenAiReply = { kind: 'error', status: 500, body: JSON.stringify({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } }, null, 4) };
const rateLimited = (headers: Record<string, string> = {}): OpenAiReply => ({ kind: 'error', status: 429, headers, body: JSON.stringify({ error: { message: 'Rate limit reached for coder-1 in organization org-abc on requests per min (RPM): Limit 5, Used 5, Requested 1.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, null, 4) });

describe('endpoint health across runs', function () {
  this.timeout(60_000);
  let dead: FakeOpenAi;
  let alive: FakeOpenAi;
  let directory: string;
  let config: string;
  const logs = () => path.join(directory, 'logs');
  const healthFile = () => path.join(logs(), HEALTH_FILE_NAME);

  beforeEach(async () => {
    [dead, alive] = await Promise.all([FakeOpenAi.start(), FakeOpenAi.start()]);
    directory = mkdtempSync(path.join(tmpdir(), 'et-endpoint-health-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, primaryAndBackupConfig(dead.baseUrl, alive.baseUrl));
  });
  afterEach(() => Promise.all([dead.stop(), alive.stop()]));

  const ask = () => runEt(['--config', config, 'ask', 'Name a prime.'], { cwd: directory, env: KEY });

  it('a second run in the same process does not call an endpoint the first found dead', async () => {
    dead.respondWith(() => SERVER_ERROR);
    alive.respondWith(team((call) => (call.phase === 'decompose' ? '1. Write a.txt saying hello.' : call.phase === 'work' ? fileBlock('a.txt', 'hello\n') : 'Done.')).responder);
    const run = () => runEt(['--config', config, 'run', '--output-dir', 'out', '--no-coordinate', '--no-reviewer', '--no-synthesize', 'Write a.txt'], { cwd: directory, env: KEY });
    const attempts = (): string[] => {
      const folders = readdirSync(logs()).filter((name) => /^\d{4}-\d{2}-\d{2}_[0-9a-f]{10}$/.test(name));
      const records = folders.map((folder): RunRecord => JSON.parse(readFileSync(path.join(logs(), folder, 'run.json'), 'utf8')));
      const latest = records.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt)).at(-1);
      return (latest?.subtasks[0].attempts ?? []).map((attempt) => `${attempt.reference} ${attempt.outcome}`);
    };
    const first = await run();
    assert.equal(first.exitCode, 0, first.stderr);
    assert.deepEqual(attempts(), ['main retry', 'main retry', 'main fallback', 'spare ok']);
    assert.equal(dead.requests.length, 3, 'three attempts, then the backup');

    const second = await run();
    assert.equal(second.exitCode, 0, second.stderr);
    assert.deepEqual(attempts(), ['main skipped', 'spare ok']);
    assert.equal(dead.requests.length, 3, 'the dead endpoint was not called again');
  });

  it('ignores a corrupted health file with one warning, and rewrites it', async () => {
    dead.respondWith(() => NO_QUOTA);
    alive.respondWith(() => ({ kind: 'answer', text: 'Seven.' }));
    mkdirSync(logs(), { recursive: true });
    writeFileSync(healthFile(), '\u0000\u0000garbage{');
    const result = await ask();
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, 'Seven.\n');
    await sharedHealth(logs(), () => {}).flush();
    const warnings = result.stderr.split('\n').filter((line) => line.startsWith('warning:'));
    assert.deepEqual(warnings, [`warning: ${healthFile()} is not an endpoint health file (it is not JSON): it is ignored and will be rewritten`]);
    assert.equal(JSON.parse(readFileSync(healthFile(), 'utf8')).version, 1);
  });

  it('takes over a lock left by a killed process with one warning, and goes on', async () => {
    dead.respondWith(() => NO_QUOTA);
    alive.respondWith(() => ({ kind: 'answer', text: 'Seven.' }));
    mkdirSync(logs(), { recursive: true });
    const killed = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const pid = killed.pid ?? 0;
    const exited = new Promise((resolve) => killed.on('exit', resolve));
    killed.kill('SIGKILL');
    await exited;
    writeFileSync(`${healthFile()}.lock`, `${pid} ${Date.now()}\n`);
    const result = await ask();
    assert.equal(result.exitCode, 0, result.stderr);
    await sharedHealth(logs(), () => {}).flush();
    assert.ok(result.stderr.includes(`warning: ${healthFile()}.lock was left by process ${pid}, which has ended: the lock is taken over\n`), result.stderr);
    assert.equal(existsSync(`${healthFile()}.lock`), false);
    assert.ok(JSON.parse(readFileSync(healthFile(), 'utf8')).endpoints[`openai ${dead.baseUrl} coder-1`]);
  });

  it('16 workers against a provider that answers 5 at a time: no subtask fails', async () => {
    const plan = Array.from({ length: 16 }, (_, index) => `${index + 1}. Write file-${index + 1}.txt.`).join('\n');
    const scripted = team((call) => (call.phase === 'decompose' ? plan : call.phase === 'work' ? fileBlock(`file-${call.subtask}.txt`, `${call.subtask}\n`) : 'Done.'));
    alive.answerAfter(400).limitConcurrency(5, rateLimited()).respondWith(scripted.responder);
    writeFileSync(config, readFileSync(config, 'utf8').replace('polecat: { model: main, fallbacks: [spare] }', 'polecat: { model: spare }'));
    const result = await runEt(['--config', config, 'run', '--output-dir', 'out', '--workers', '16', '--max-subtasks', '16', '--no-coordinate', '--no-reviewer', '--no-synthesize', 'Write sixteen files'], { cwd: directory, env: KEY });
    assert.equal(result.exitCode, 0, result.stderr);
    const record: RunRecord = JSON.parse(readFileSync(path.join(onlyRunFolder(logs()), 'run.json'), 'utf8'));
    assert.equal(record.subtasks.length, 16);
    assert.deepEqual(record.subtasks.map((subtask) => subtask.status), Array(16).fill('succeeded'));
    for (let index = 1; index <= 16; index++) assert.equal(readFileSync(path.join(directory, 'out', `file-${index}.txt`), 'utf8'), `${index}\n`);
    assert.ok(alive.refused > 0, 'the provider did refuse some');
    assert.ok(alive.peakInFlight <= 5);
    const refusals = record.subtasks.flatMap((subtask) => subtask.attempts).filter((attempt) => attempt.errorClass === 'rate_limit');
    assert.equal(refusals.length, alive.refused);
  });

  it('a provider that refuses everything ends the run, saying what it said, after the waits it asked for', async () => {
    alive.respondWith(() => rateLimited({ 'retry-after': '1' }));
    const started = Date.now();
    const result = await runEt(['--config', config, 'run', '--output-dir', 'out', 'Write a.txt'], { cwd: directory, env: KEY });
    const elapsed = Date.now() - started;
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(result.stderr, /spare: 3 attempts, fallback \(rate_limit: backup: Rate limit reached for coder-1 in organization org-abc on requests per min \(RPM\): Limit 5, Used 5, Requested 1\. \(HTTP 429\); waited 1 s\)/);
    assert.equal(alive.requests.length, 3);
    assert.ok(elapsed >= 2000 && elapsed < 10_000, `${elapsed} ms`);
  });
});
