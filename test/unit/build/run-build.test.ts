// The build runner against real processes: pass, fail, hang, a flood of output, children left behind,
// cancel, a missing command, a step that deletes its folder, secrets kept from the steps. Waits on the
// processes, never on fixed sleeps. Strays that leave the step's session: run-build-strays.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLog, MAX_KEPT_BYTES, runBuild } from '../../../server/src/build/run-build';
import { running } from '../../helpers/processes';

const node = (script: string) => [process.execPath, '-e', script];
const run = (steps: string[][], options: { timeoutMs?: number; signal?: AbortSignal; cwd?: string; secretNames?: string[] } = {}) =>
  runBuild({ steps, cwd: options.cwd ?? mkdtempSync(path.join(tmpdir(), 'et-build-')), timeoutMs: options.timeoutMs ?? 20_000, signal: options.signal ?? new AbortController().signal, secretNames: options.secretNames });

describe('running a build', () => {
  it('runs the steps in order and passes when all do', async () => {
    const result = await run([node("console.log('one')"), node("console.log('two'); console.error('note')")]);
    assert.deepEqual([result.passed, result.exitCode, result.stdout, result.stderr, result.failedStep], [true, 0, 'one\ntwo\n', 'note\n', undefined]);
    assert.equal(buildLog(result, [['a'], ['b', 'c']]).split('\n').slice(0, 3).join('\n'), `$ a && b c\n# passed in ${(result.durationMs / 1000).toFixed(1)} s\n=== stdout ===`);
  });

  it('stops at the first failing step and keeps its output', async () => {
    const failing = node("console.error('main.go:3:2: undefined: x'); process.exit(2)");
    const result = await run([failing, node("console.log('never')")]);
    assert.deepEqual([result.passed, result.exitCode, result.stderr, result.stdout, result.failedStep], [false, 2, 'main.go:3:2: undefined: x\n', '', failing]);
    assert.match(buildLog(result, [failing]), /# failed \(exit 2\)[^\n]*\n=== stdout ===\n\n=== stderr ===\nmain\.go:3:2: undefined: x\n/);
  });

  it('kills a build that hangs when its time is up', async () => {
    const result = await run([node('setInterval(() => {}, 1000)')], { timeoutMs: 300 });
    assert.deepEqual([result.passed, result.timedOut, result.cancelled, result.exitCode], [false, true, false, null]);
  });

  it('kills what a build started and left running, before it answers', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'et-build-fork-'));
    const pidFile = path.join(directory, 'child.pid');
    // The build starts a child that would outlive it, writes the child's pid, and exits at once.
    const script = `const { spawn } = require('node:child_process'); const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid)); child.unref();`;
    const result = await run([node(script)]);
    assert.equal(result.passed, true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(running(pid), false, `process ${pid} still runs`);
  });

  it('keeps the head and the tail of a flood of output, and says it cut it', async () => {
    const result = await run([node("const block = 'x'.repeat(1 << 20) + '\\n'; for (let i = 0; i < 100; i++) process.stdout.write(block); process.stdout.write('the end\\n')")]);
    assert.equal(result.passed, true);
    assert.equal(result.truncated, true);
    assert.ok(result.stdout.length < MAX_KEPT_BYTES + 200, String(result.stdout.length));
    assert.match(result.stdout, /… \d+ bytes of output left out …/);
    assert.ok(result.stdout.endsWith('the end\n'));
  });

  it('keeps a step that floods its output forever to the caps in memory, and ends it at its time limit', async () => {
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const result = await run([['yes']], { timeoutMs: 1000 }).finally(() => clearInterval(sampler));
    assert.deepEqual([result.passed, result.timedOut, result.truncated], [false, true, true]);
    assert.ok(result.durationMs < 2000, `took ${result.durationMs} ms`);
    assert.ok(result.stdout.length < MAX_KEPT_BYTES + 200, String(result.stdout.length));
    // `yes` writes gigabytes a second; what the runner holds stays near the caps.
    const leftOut = Number(/… (\d+) bytes of output left out …/.exec(result.stdout)?.[1]);
    assert.ok(leftOut > 100_000_000, `only ${leftOut} bytes left out`);
    assert.ok(peak - before < 256 * 1024 * 1024, `memory grew by ${peak - before} bytes`);
  });

  it('keeps the ends of a 200 MB flood that ends by itself', async () => {
    const result = await run([['sh', '-c', 'yes | head -c 200000000; echo the end']], { timeoutMs: 3000 });
    assert.deepEqual([result.passed, result.truncated], [true, true]);
    assert.ok(result.stdout.length < MAX_KEPT_BYTES + 200, String(result.stdout.length));
    assert.match(result.stdout, /^y\ny\n[^]*… 198951432 bytes of output left out …\n[^]*y\nthe end\n$/);
  });

  it('survives a step that deletes its own folder, and says why the next step cannot start', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'et-build-doomed-'));
    const result = await run([node("require('node:fs').rmSync(process.cwd(), { recursive: true, force: true }); console.log('gone')"), node("console.log('never')")], { cwd });
    assert.equal(existsSync(cwd), false);
    assert.deepEqual([result.passed, result.stdout, result.exitCode], [false, 'gone\n', null]);
    assert.equal(result.startError, `${process.execPath}: the build folder ${cwd} no longer exists`);
  });

  it('keeps API keys, tokens and the named secrets from the steps, and everything else in', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { OPENAI_API_KEY: 'sk-parent', GITHUB_TOKEN: 'ghp-parent', DB_PASSWORD: 'hunter2', MY_PROVIDER_KEY: 'named', ET_PLAIN_SETTING: 'kept' });
    try {
      const names = ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'DB_PASSWORD', 'MY_PROVIDER_KEY', 'ET_PLAIN_SETTING'];
      const result = await run([node(`console.log(JSON.stringify(${JSON.stringify(names)}.map((name) => process.env[name] ?? null)))`), ['sh', '-c', 'echo "${OPENAI_API_KEY:-unset}"']], { secretNames: ['MY_PROVIDER_KEY'] });
      assert.equal(result.stdout, '[null,null,null,null,"kept"]\nunset\n');
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    }
  });

  it('stops at once when cancelled, and says it was', async () => {
    const controller = new AbortController();
    const building = run([node("console.log('started'); setInterval(() => {}, 1000)")], { signal: controller.signal });
    setImmediate(() => controller.abort());
    const result = await building;
    assert.deepEqual([result.passed, result.cancelled, result.timedOut], [false, true, false]);
  });

  it('reports a command that does not exist', async () => {
    const result = await run([['et-no-such-build-tool', '--flag']]);
    assert.deepEqual([result.passed, result.startError], [false, 'et-no-such-build-tool: command not found']);
  });
});
