// What a build step starts and tries to leave behind — a daemon in its own session holding the step's
// stdout, a double-forked process handed to init — against real processes: the build still ends on time
// and nothing it started runs once runBuild answers. Linux only: elsewhere the runner kills the step's
// process group and no more.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBuild, type BuildResult } from '../../../server/src/build/run-build';
import { until } from '../../helpers/poll';
import { running } from '../../helpers/processes';

/** Runs `script` with sh in a fresh folder; the pids it writes to `<name>.pid` there, a line each, are read back. */
async function runShell(script: string, options: { timeoutMs: number; signal?: AbortSignal; whenStarted?: (folder: string) => Promise<void> }): Promise<{ result: BuildResult; pids: (name: string) => number[] }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'et-build-strays-'));
  const building = runBuild({ steps: [['sh', '-c', script]], cwd: folder, timeoutMs: options.timeoutMs, signal: options.signal ?? new AbortController().signal });
  await options.whenStarted?.(folder);
  const result = await building;
  return { result, pids: (name) => readFileSync(path.join(folder, `${name}.pid`), 'utf8').trim().split('\n').map(Number) };
}

/** A shell line starting `command` in a session of its own, its stdout still the step's; writes its pid. */
const daemon = (name: string, command = 'sleep 600') => `setsid sh -c 'echo $$ > ${name}.pid; exec ${command}' &`;
/** Waits, in the step, until each named pid file has been written. */
const waitFor = (...names: string[]) => names.map((name) => `while [ ! -s ${name}.pid ]; do sleep 0.01; done;`).join(' ');

describe('running a build that leaves processes behind', function () {
  before(function () {
    if (process.platform !== 'linux') this.skip();
  });

  it('ends at its time limit although a daemon in its own session holds its stdout, and kills the daemon', async () => {
    const { result, pids } = await runShell(`${daemon('daemon')} ${waitFor('daemon')} sleep 600`, { timeoutMs: 1500 });
    assert.deepEqual([result.passed, result.timedOut], [false, true]);
    assert.ok(result.durationMs < 1500 + 700, `took ${result.durationMs} ms`);
    assert.equal(running(pids('daemon')[0]), false, 'the daemon still runs');
  });

  it('ends when the step exits, not when the daemon it left closes stdout, and kills the daemon', async () => {
    // The step is gone well before the first look at its children: only its marker finds the daemon.
    const { result, pids } = await runShell(`${daemon('daemon')} ${waitFor('daemon')} echo started`, { timeoutMs: 3000 });
    assert.deepEqual([result.passed, result.timedOut, result.stdout], [true, false, 'started\n']);
    assert.ok(result.durationMs < 1000, `took ${result.durationMs} ms`);
    assert.equal(running(pids('daemon')[0]), false, 'the daemon still runs');
  });

  it('kills double-forked processes, in the step’s session or a new one', async () => {
    const script = `(sleep 600 > /dev/null 2>&1 & echo $! > forked.pid); (${daemon('forked-setsid')}) > /dev/null 2>&1; ${waitFor('forked', 'forked-setsid')} sleep 600`;
    const { result, pids } = await runShell(script, { timeoutMs: 1000 });
    assert.equal(result.timedOut, true);
    assert.ok(result.durationMs < 1000 + 700, `took ${result.durationMs} ms`);
    for (const name of ['forked', 'forked-setsid']) assert.equal(running(pids(name)[0]), false, `${name} still runs`);
  });

  it('kills a daemon that cleared its environment, once it has been seen as the step’s child', async () => {
    // No marker to find it by: the step lives long enough for a look at its children, then exits.
    const cleared = `setsid env -i /bin/sh -c 'echo $$ > cleared.pid; exec /bin/sleep 600' &`;
    const { result, pids } = await runShell(`${cleared} ${waitFor('cleared')} sleep 0.3`, { timeoutMs: 3000 });
    assert.equal(result.passed, true);
    assert.equal(running(pids('cleared')[0]), false, 'the daemon still runs');
  });

  it('kills with SIGKILL what ignores SIGTERM and keeps forking', async () => {
    // SIGTERM ignored is inherited: neither the shell nor any sleep it starts dies of it.
    const { result, pids } = await runShell(`trap '' TERM; while :; do sleep 600 & echo $! >> children.pid; sleep 0.05; done`, { timeoutMs: 500 });
    assert.equal(result.timedOut, true);
    assert.ok(result.durationMs < 500 + 2000 + 700, `took ${result.durationMs} ms`);
    const children = pids('children');
    assert.ok(children.length > 5, `only ${children.length} children`);
    for (const pid of children) assert.equal(running(pid), false, `child ${pid} still runs`);
  });

  it('kills the step and everything it started when cancelled', async () => {
    const controller = new AbortController();
    const names = ['daemon', 'forked', 'child'];
    const script = `${daemon('daemon')} (sleep 600 & echo $! > forked.pid); sleep 600 & echo $! > child.pid; ${waitFor(...names)} : > ready; sleep 600`;
    let cancelledAt = 0;
    const whenStarted = async (folder: string) => {
      await until(() => existsSync(path.join(folder, 'ready')), 'the step to start its processes', 3000);
      cancelledAt = performance.now();
      controller.abort();
    };
    const { result, pids } = await runShell(script, { timeoutMs: 10_000, signal: controller.signal, whenStarted });
    assert.deepEqual([result.passed, result.cancelled, result.timedOut], [false, true, false]);
    assert.ok(performance.now() - cancelledAt < 700, `answered ${performance.now() - cancelledAt} ms after the cancel`);
    for (const name of names) assert.equal(running(pids(name)[0]), false, `${name} still runs`);
  });
});
