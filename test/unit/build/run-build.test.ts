// The build runner against real processes: pass, fail, hang, a flood of output, children left behind,
// cancel, a missing command. Waits on the processes, never on fixed sleeps.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLog, MAX_KEPT_BYTES, runBuild } from '../../../server/src/build/run-build';

const node = (script: string) => [process.execPath, '-e', script];
const run = (steps: string[][], options: { timeoutMs?: number; signal?: AbortSignal } = {}) => runBuild({ steps, cwd: mkdtempSync(path.join(tmpdir(), 'et-build-')), timeoutMs: options.timeoutMs ?? 20_000, signal: options.signal ?? new AbortController().signal });

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`still waiting for: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

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

  it('kills what a build started and left running', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'et-build-fork-'));
    const pidFile = path.join(directory, 'child.pid');
    // The build starts a child that would outlive it, writes the child's pid, and exits at once.
    const script = `const { spawn } = require('node:child_process'); const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(child.pid)); child.unref();`;
    const result = await run([node(script)]);
    assert.equal(result.passed, true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await until(() => !alive(pid), `process ${pid} to be gone`);
  });

  it('keeps the head and the tail of a flood of output, and says it cut it', async () => {
    const result = await run([node("const block = 'x'.repeat(1 << 20) + '\\n'; for (let i = 0; i < 100; i++) process.stdout.write(block); process.stdout.write('the end\\n')")]);
    assert.equal(result.passed, true);
    assert.equal(result.truncated, true);
    assert.ok(result.stdout.length < MAX_KEPT_BYTES + 200, String(result.stdout.length));
    assert.match(result.stdout, /… \d+ bytes of output left out …/);
    assert.ok(result.stdout.endsWith('the end\n'));
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
