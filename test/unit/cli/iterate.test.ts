// `et run --iterate` end to end: a real build (Python's compileall) of what the workers wrote, each
// error sent back to the worker that wrote its file, until the build passes, the same errors come back,
// or the attempts run out — and the exit code says which.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { openSandbox } from '../../../server/src/gates/sandbox';
import type { RunRecord } from '../../../server/src/protocol';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { fileBlock, team, type TeamCall } from '../../helpers/fake-team';
import { greeterConfig } from '../../helpers/greeter-scenario';
import { runEt } from '../../helpers/run-cli';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };
const PLAN = '1. Write util.py with shout(text).\n2. Write main.py that prints shout("hi"). [depends: 1]';
const BROKEN_UTIL = 'def shout(text)\n    return text.upper()\n';
const UTIL = 'def shout(text):\n    return text.upper()\n';
const MAIN = 'from util import shout\n\nprint(shout("hi"))\n';

function pythonTeam(fix: (call: TeamCall) => string) {
  return (call: TeamCall): string => {
    switch (call.phase) {
      case 'decompose':
        return PLAN;
      case 'work':
      case 'validate':
        return call.subtask === 1 ? fileBlock('util.py', BROKEN_UTIL) : fileBlock('main.py', MAIN);
      case 'review':
        return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
      case 'fix':
        return fix(call);
      default:
        return 'A Python shouter: util.py and main.py.';
    }
  };
}

/** Whether a process runs: a zombie waiting for init to reap it is dead. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const COMPILE = "python3 -m compileall -q -x '(^|/)(\\.[^/]+|venv|node_modules|__pycache__)(/|$)' .";

describe('et run --iterate', function () {
  this.timeout(60_000);
  let openai: FakeOpenAi;
  let directory: string;
  let config: string;

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-iterate-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, greeterConfig(openai.baseUrl));
  });
  afterEach(() => openai.stop());

  const run = (args: string[]) => runEt(['--config', config, 'run', '--output-dir', 'out', '--no-coordinate', '--iterate', ...args], { cwd: directory, env: KEY });
  const folder = () => path.join(directory, 'logs', readdirSync(path.join(directory, 'logs')).find((name) => name.includes('_')) as string);
  const record = (): RunRecord => JSON.parse(readFileSync(path.join(folder(), 'run.json'), 'utf8'));

  it('sends a syntax error to the worker that wrote the file, on its model, and stops when the build passes', async () => {
    const scripted = team(pythonTeam(() => fileBlock('util.py', UTIL)));
    openai.respondWith(scripted.responder);
    const result = await run(['Write a shouter in Python']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(readFileSync(path.join(directory, 'out', 'util.py'), 'utf8'), UTIL);

    const fixes = scripted.calls.filter((call) => call.phase === 'fix');
    assert.deepEqual(fixes.map((call) => [call.subtask, call.model]), [[1, 'coder-1']]);
    assert.match(fixes[0].user, /Your subtask \(1\):\nWrite util\.py with shout\(text\)\./);
    assert.match(fixes[0].user, /util\.py — as it is now:\n```\ndef shout\(text\)\n/);
    assert.match(fixes[0].user, /Errors:\n- util\.py:1(:\d+)?: .*SyntaxError|Errors:\n- util\.py:1(:\d+)?: /);

    const saved = record();
    assert.equal(saved.build?.status, 'passed');
    assert.deepEqual(saved.build?.attempts.map((attempt) => [attempt.iteration, attempt.passed, attempt.command, attempt.log]), [
      [1, false, COMPILE, '_gate_compile_iter1.log'],
      [2, true, COMPILE, '_gate_compile_iter2.log'],
    ]);
    assert.deepEqual(saved.build?.attempts[0].fixes.map((fix) => [fix.subtask, fix.files, fix.status]), [[1, ['util.py'], 'succeeded']]);
    const log = readFileSync(path.join(folder(), '_gate_compile_iter1.log'), 'utf8');
    assert.match(log, /^\$ python3 -m compileall -q -x '[^']+' \.\n# failed \(exit 1\)[^\n]*\n=== stdout ===\n[\s\S]*util\.py[\s\S]*\n=== stderr ===\n/);
    assert.match(result.stderr, /^round 1 compile: ✗ 1 error \([\d.]+ s\)$/m);
    assert.match(result.stderr, /^round 2 compile: ✓ passed/m);
    assert.match(result.stderr, /^round 1: compile ✗ 1 error\nround 2: compile ✓\ngates passed; logs: _gate_compile_iter1\.log, _gate_compile_iter2\.log$/m);
  });

  it('stops when a fix brings the same errors back, and exits 3', async () => {
    const scripted = team(pythonTeam(() => fileBlock('util.py', BROKEN_UTIL)));
    openai.respondWith(scripted.responder);
    const result = await run(['Write a shouter in Python', '--max-iterations', '5']);
    assert.equal(result.exitCode, 3, result.stderr);
    const saved = record();
    assert.deepEqual([saved.status, saved.exitCode, saved.build?.status, saved.build?.attempts.length, saved.build?.reason], ['failed', 3, 'failed', 2, 'the same failures came back after the fixes (compile)']);
    assert.match(saved.error ?? '', /^the gates still fail: the same failures came back/);
  });

  it('builds no more than --max-iterations times', async () => {
    const scripted = team(pythonTeam(() => fileBlock('util.py', UTIL)));
    openai.respondWith(scripted.responder);
    const result = await run(['Write a shouter in Python', '--max-iterations', '1']);
    assert.equal(result.exitCode, 3, result.stderr);
    assert.equal(scripted.calls.some((call) => call.phase === 'fix'), false);
    assert.equal(record().build?.reason, 'compile still fails after 1 round (--max-iterations)');
  });

  it('kills a build that hangs, records it as timed out, and gives the general fixer the news', async () => {
    const scripted = team(pythonTeam(() => fileBlock('util.py', UTIL)));
    openai.respondWith(scripted.responder);
    // 0.01 minutes: 600 ms for a build that sleeps a minute.
    const result = await run(['Write a shouter in Python', '--build-cmd', `${JSON.stringify(process.execPath)} -e "setTimeout(() => {}, 60000)"`, '--build-timeout', '0.01', '--max-iterations', '2']);
    assert.equal(result.exitCode, 3, result.stderr);
    const attempts = record().build?.attempts ?? [];
    assert.deepEqual(attempts.map((attempt) => [attempt.timedOut, attempt.exitCode]), [[true, null], [true, null]]);
    const general = scripted.calls.filter((call) => call.phase === 'fix');
    assert.deepEqual(general.map((call) => call.subtask), [undefined]);
    assert.match(general[0].user, /took longer than 0\.01 minutes/);
  });

  it('says so, and exits 2, when there is nothing to gate', async () => {
    const scripted = team((call) => (call.phase === 'decompose' ? '1. Write notes.md.' : call.phase === 'work' ? fileBlock('notes.md', '# Notes\n') : call.phase === 'review' ? 'SCORE: 9\nREASON: ok' : 'Notes.'));
    openai.respondWith(scripted.responder);
    const result = await run(['Write notes']);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.deepEqual([record().build?.status, record().build?.nothingToRun, record().status], ['not-run', true, 'failed']);
    assert.match(result.stderr, /warning: no gates: nothing to run: no go\.mod, package\.json/);
    assert.match(result.stderr, /failed: --iterate had nothing to run/);
  });

  it('refuses a gate that needs a shell before any model call, with exit 2', async () => {
    const scripted = team(pythonTeam(() => fileBlock('util.py', UTIL)));
    openai.respondWith(scripted.responder);
    const result = await run(['Write a shouter in Python', '--gate', 'npm ci && npm test']);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(result.stderr, /^error: --gate cannot run: a gate has "&", which needs a shell/m);
    assert.equal(scripted.calls.length, 0);
  });

  // A team whose code is fine: what the gates below find is theirs, not the workers'.
  const cleanTeam = () => team((call) => (call.phase === 'decompose' ? PLAN : call.phase === 'work' ? (call.subtask === 1 ? fileBlock('util.py', UTIL) : fileBlock('main.py', MAIN)) : call.phase === 'review' ? 'SCORE: 8\nREASON: Fine.\nFINDINGS: none' : call.phase === 'fix' ? fileBlock('util.py', UTIL) : 'A Python shouter.'));
  const node = JSON.stringify(process.execPath);

  it('runs a failing test suite again before blaming a worker, and reports one that then passes as flaky', async () => {
    // Fails the first time it runs, passes after: the marker is what changed, not the code.
    const test = path.join(directory, 'flaky.test.mjs');
    writeFileSync(test, `import { test } from 'node:test';\nimport { existsSync, writeFileSync } from 'node:fs';\nconst marker = ${JSON.stringify(path.join(directory, 'ran-once'))};\ntest('sometimes', () => {\n  if (!existsSync(marker)) {\n    writeFileSync(marker, '');\n    throw new Error('timing');\n  }\n});\n`);
    const scripted = cleanTeam();
    openai.respondWith(scripted.responder);
    const result = await run(['Write a shouter in Python', '--gate', `test:${node} --test ${JSON.stringify(test)}`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(record().build?.attempts.map((attempt) => [attempt.gate, attempt.status, attempt.passed]), [['test', 'flaky', true]]);
    assert.match(result.stderr, /warning: test: the tests failed, then passed when run again: flaky/);
    assert.equal(scripted.calls.some((call) => call.phase === 'fix'), false, 'nobody is blamed for a flaky test');
  });

  it('says a test gate that ran no test found none, rather than passing silently', async () => {
    const empty = path.join(directory, 'no-tests');
    mkdirSync(empty);
    openai.respondWith(cleanTeam().responder);
    const result = await run(['Write a shouter in Python', '--gate', `test:${node} --test ${JSON.stringify(empty)}`]);
    assert.deepEqual(record().build?.attempts.map((attempt) => [attempt.gate, attempt.status, attempt.tests?.passed]), [['test', 'no-tests', 0]]);
    assert.match(result.stderr, /warning: test: the project has no tests; the test gate ran none/);
    assert.match(result.stderr, /round 1 test: [^\n]*no tests/);
  });

  it('reports a failing setup step as the setup’s, sends it to no worker, and runs no gate after it', async () => {
    const scripted = cleanTeam();
    openai.respondWith(scripted.responder);
    const result = await run(['Write a shouter in Python', '--gate', `setup:${node} -e "console.error('npm ERR! the lockfile is out of sync'); process.exit(1)"`, '--gate', `build:${node} -e 0`]);
    assert.equal(result.exitCode, 3, result.stderr);
    const build = record().build;
    assert.deepEqual([build?.status, build?.setup?.map((step) => [step.name, step.passed]), build?.attempts.length], ['failed', [['setup', false]], 0]);
    assert.match(build?.reason ?? '', /^the setup step setup \(.*\) failed with exit 1; see _gate_setup_setup\.log$/);
    assert.match(readFileSync(path.join(folder(), '_gate_setup_setup.log'), 'utf8'), /the lockfile is out of sync/);
    assert.equal(scripted.calls.some((call) => call.phase === 'fix'), false);
  });

  it('does not wait for a daemon a gate leaves in its own session holding the output open: the gate ends at its exit and the daemon is killed', async () => {
    const pidFile = path.join(directory, 'daemon.pid');
    const daemon = path.join(directory, 'daemon.mjs');
    // Like `setsid server &`: a new session, the gate's stdout and stderr inherited, never exiting.
    writeFileSync(daemon, `import { spawn } from 'node:child_process';\nimport { existsSync } from 'node:fs';\nconst child = spawn(process.execPath, ['-e', "require('fs').writeFileSync(${JSON.stringify(JSON.stringify(pidFile)).slice(1, -1)}, String(process.pid)); setInterval(() => console.log('still here'), 200)"], { detached: true, stdio: 'inherit' });\nchild.unref();\n// Exit once the daemon is up (its pid written), however slow the machine.\nconst up = setInterval(() => { if (existsSync(${JSON.stringify(pidFile)})) { clearInterval(up); process.exit(0); } }, 20);\n`);
    openai.respondWith(cleanTeam().responder);
    const started = Date.now();
    const result = await run(['Write a shouter in Python', '--gate', `build:${node} ${JSON.stringify(daemon)}`, '--build-timeout', '10']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(Date.now() - started < 30_000, `the run took ${Date.now() - started} ms`);
    assert.deepEqual(record().build?.attempts.map((attempt) => [attempt.gate, attempt.status]), [['build', 'passed']]);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(running(pid), false, `the daemon ${pid} is still running`);
  });

  it('runs the gates in a bwrap sandbox where it works: no network, nothing written outside the output folder, caches and temp', async function () {
    const probe = await openSandbox(directory, []);
    if (probe.kind === 'none') {
      console.log(`      skipped: ${probe.reason}`);
      this.skip();
    }
    // A test a model wrote that phones home and plants a file in $HOME: both fail in the sandbox.
    const outsideFile = path.join(mkdtempSync(path.join(homedir(), '.et-sandbox-')), 'planted');
    const script = path.join(directory, 'escape.js');
    writeFileSync(script, `const net = require('node:net');
const fs = require('node:fs');
let wrote = false;
try { fs.writeFileSync(${JSON.stringify(outsideFile)}, 'x'); wrote = true; } catch (error) { console.log('write refused: ' + error.code); }
fs.writeFileSync('inside.txt', 'the output folder is writable');
const socket = net.connect(${new URL(openai.baseUrl).port}, '127.0.0.1');
socket.on('connect', () => { console.log('connected'); process.exit(wrote ? 2 : 1); });
socket.on('error', (error) => { console.log('network refused: ' + error.code); process.exit(wrote ? 2 : 0); });
`);
    openai.respondWith(cleanTeam().responder);
    const result = await run(['Write a shouter in Python', '--gate', `build:${node} ${JSON.stringify(script)}`]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(record().build?.attempts.map((attempt) => [attempt.gate, attempt.status]), [['build', 'passed']]);
    assert.match(record().build?.sandbox ?? '', /^sandboxed with bwrap/);
    assert.match(result.stderr, /gates sandboxed with bwrap: no network/);
    assert.equal(existsSync(outsideFile), false);
    assert.equal(readFileSync(path.join(directory, 'out', 'inside.txt'), 'utf8'), 'the output folder is writable');
    assert.match(readFileSync(path.join(folder(), '_gate_build_iter1.log'), 'utf8'), /write refused: EROFS[\s\S]*network refused: E/);

    // --no-sandbox: the same gate reaches out, and says it ran unsandboxed.
    rmSync(path.join(directory, 'logs'), { recursive: true });
    const open = await run(['Write a shouter in Python', '--gate', `build:${node} ${JSON.stringify(script)}`, '--no-sandbox']);
    assert.equal(open.exitCode, 3, open.stderr);
    assert.equal(record().build?.sandbox, 'not sandboxed: the sandbox is turned off (--no-sandbox)');
    assert.equal(existsSync(outsideFile), true);
    rmSync(path.dirname(outsideFile), { recursive: true });
  });
});
