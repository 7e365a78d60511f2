// Durable runs: `et run` killed with SIGKILL mid-run is shown as interrupted, and `et run --resume`
// finishes it without asking again for the subtasks that were done or counting their cost twice. A run
// folder whose record is cut short is refused, never guessed at.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunRecord } from '../../server/src/protocol';
import { listRuns } from '../../server/src/run/run-store';
import { FakeOpenAi } from '../helpers/fake-openai';
import { team } from '../helpers/fake-team';
import { GREET, goodTeam, greeterConfig, MAIN, README } from '../helpers/greeter-scenario';
import { SERVER_BUNDLE } from '../helpers/lsp-process';
import { onlyRunFolder, runRecordIn, until } from '../helpers/poll';
import { runEt, TEST_HOME } from '../helpers/run-cli';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };


describe('resuming a run', function () {
  this.timeout(40_000);
  let openai: FakeOpenAi;
  let directory: string;
  let config: string;
  const logs = () => path.join(directory, 'logs');
  const folder = () => onlyRunFolder(logs());
  const record = (): RunRecord => runRecordIn(logs());

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-resume-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, greeterConfig(openai.baseUrl));
  });
  afterEach(() => openai.stop());

  it('finishes a run killed with SIGKILL, without redoing or recounting what was done', async () => {
    let killed = false;
    const scripted = team(goodTeam);
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      const call = scripted.calls.at(-1);
      // Subtask 2 hangs until the process is killed; after the resume it answers.
      return call?.phase === 'work' && call.subtask === 2 && !killed ? { kind: 'hang' } : reply;
    });
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--config', config, 'run', '--output-dir', 'out', '--workers', '1', 'Build a greeter'], { cwd: directory, env: { PATH: process.env.PATH, HOME: TEST_HOME, ...KEY }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await until(() => existsSync(logs()) && readdirSync(logs()).some((name) => /^\d{4}-\d{2}-\d{2}_[0-9a-f]{10}$/.test(name)) && existsSync(path.join(folder(), 'answers', '3.md')) && record().subtasks[2]?.status === 'succeeded', 'subtasks 1 and 3 to finish');
    await until(() => scripted.calls.some((call) => call.phase === 'work' && call.subtask === 2), 'subtask 2 to start');
    // The ledger is written in batches a few milliseconds apart: kill once it has every finished attempt.
    const ledgerLines = () => (existsSync(path.join(logs(), 'ledger.jsonl')) ? readFileSync(path.join(logs(), 'ledger.jsonl'), 'utf8').trim().split('\n').length : 0);
    await until(() => ledgerLines() === record().totals.requests, 'the ledger to catch up');
    child.kill('SIGKILL');
    await exited;
    killed = true;

    const [interrupted] = await listRuns(logs(), 10);
    assert.deepEqual([interrupted.status, interrupted.interrupted], ['running', true]);
    const before = record();
    const ledgerBefore = readFileSync(path.join(logs(), 'ledger.jsonl'), 'utf8').trim().split('\n').length;

    const result = await runEt(['--config', config, 'run', '--resume', before.id], { cwd: directory, env: KEY });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'main.ts'), 'utf8'), MAIN);
    assert.equal(readFileSync(path.join(directory, 'out', 'README.md'), 'utf8'), README);

    // Subtasks 1 and 3 and the plan were asked for once; subtask 2 twice (the killed call, then its answer).
    const count = (phase: string, subtask?: number) => scripted.calls.filter((call) => call.phase === phase && call.subtask === subtask).length;
    assert.deepEqual([count('decompose'), count('coordinate'), count('work', 1), count('work', 3), count('work', 2)], [1, 1, 1, 1, 2]);
    const after = record();
    assert.deepEqual([after.status, after.exitCode, after.resumedAt.length, after.id], ['succeeded', 0, 1, before.id]);
    assert.deepEqual(after.subtasks.map((subtask) => subtask.status), ['succeeded', 'succeeded', 'succeeded']);
    // The totals go on from the first process's; each attempt is in the ledger once.
    const ledger = readFileSync(path.join(logs(), 'ledger.jsonl'), 'utf8').trim().split('\n');
    assert.ok(after.totals.requests > before.totals.requests);
    assert.equal(ledger.length, after.totals.requests);
    assert.ok(ledger.length > ledgerBefore);
    assert.equal((await listRuns(logs(), 10))[0].interrupted, false);
    // The call the kill cut short is not lost: the next reader of the ledger records it as interrupted.
    const costs = await runEt(['--config', config, 'costs', '--by', 'run', '--json'], { cwd: directory, env: KEY });
    assert.equal(JSON.parse(costs.stdout).total.interruptedAttempts, 1, costs.stdout);
    const interruptedLine = readFileSync(path.join(logs(), 'ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((entry) => entry.outcome === 'interrupted');
    assert.deepEqual(interruptedLine.map((entry) => [entry.runId, entry.subtask, entry.purpose, entry.usd]), [[before.id, 2, 'work', null]]);
  });

  it('lists and resumes a run killed the instant its folder appeared', async () => {
    let killed = false;
    const scripted = team(goodTeam);
    openai.respondWith((request) => {
      const reply = scripted.responder(request);
      return killed ? reply : { kind: 'hang' };
    });
    const child = spawn(process.execPath, [SERVER_BUNDLE, '--config', config, 'run', '--output-dir', 'out', 'Build a greeter'], { cwd: directory, env: { PATH: process.env.PATH, HOME: TEST_HOME, ...KEY }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    await until(() => existsSync(logs()) && readdirSync(logs()).some((name) => /^\d{4}-\d{2}-\d{2}_/.test(name)), 'the run folder to appear');
    child.kill('SIGKILL');
    await exited;
    killed = true;
    const [listed] = await listRuns(logs(), 10);
    assert.deepEqual([listed?.status, listed?.interrupted], ['running', true], 'a folder that exists is a listed run');
    const resumed = await runEt(['--config', config, 'run', '--resume', listed.id], { cwd: directory, env: KEY });
    assert.equal(resumed.exitCode, 0, resumed.stderr);
    assert.equal(record().status, 'succeeded');
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);
  });

  it('refuses a run whose record was cut short, and one that succeeded', async () => {
    openai.respondWith(team(goodTeam).responder);
    assert.equal((await runEt(['--config', config, 'run', '--output-dir', 'out', 'Build a greeter'], { cwd: directory, env: KEY })).exitCode, 0);
    const { id } = record();
    const done = await runEt(['--config', config, 'run', '--resume', id], { cwd: directory, env: KEY });
    assert.deepEqual([done.exitCode, done.stderr], [1, `error: run ${id} succeeded: there is nothing to resume (to refine it, give the refinement: et run --resume ${id} "REFINEMENT")\n`]);
    const text = readFileSync(path.join(folder(), 'run.json'), 'utf8');
    writeFileSync(path.join(folder(), 'run.json'), text.slice(0, text.length / 2));
    const cut = await runEt(['run', '--resume', folder()], { cwd: directory, env: KEY });
    assert.equal(cut.exitCode, 1);
    assert.match(cut.stderr, /^error: .*run\.json is not a complete run record \(.*\); the run cannot be resumed from it\n$/);
    const usage = await runEt(['--config', config, 'run', '--resume', id, '--workers', '2'], { cwd: directory, env: KEY });
    assert.deepEqual([usage.exitCode, usage.stderr.split('\n')[0]], [2, 'error: --resume takes no other options but --budget (got --workers)']);
  });
});
