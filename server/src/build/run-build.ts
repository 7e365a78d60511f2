// Runs a build: each step as its own process group, without a shell, with a time limit and a cap on the
// output kept. On timeout or cancel — and after every step, for children it left behind — the whole
// group is killed (SIGTERM, then SIGKILL), so a build that forks or hangs cannot outlive it.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Kept of each stream: the head (where most compilers start) and the tail (where tracebacks end). */
export const MAX_KEPT_BYTES = 1024 * 1024;
const KILL_GRACE_MS = 2000;

export interface BuildRun {
  steps: readonly (readonly string[])[];
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export interface BuildResult {
  passed: boolean;
  /** Of the last step that ran; null when it was killed. */
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  stdout: string;
  stderr: string;
  /** Output was cut to MAX_KEPT_BYTES per stream. */
  truncated: boolean;
  durationMs: number;
  /** The step that failed, as run. */
  failedStep: readonly string[] | undefined;
  /** Why a step could not start (no such command). */
  startError: string | undefined;
}

/** A stream's bytes, keeping its first and last halves of `limit` once it is longer. */
class KeptOutput {
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const half = this.limit / 2;
    if (this.headBytes < half) {
      const taken = chunk.subarray(0, half - this.headBytes);
      this.head.push(taken);
      this.headBytes += taken.length;
      chunk = chunk.subarray(taken.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    while (this.tailBytes > half) {
      const excess = this.tailBytes - half;
      const first = this.tail[0];
      if (first.length <= excess) this.tail.shift();
      else this.tail[0] = first.subarray(excess);
      const removed = Math.min(first.length, excess);
      this.tailBytes -= removed;
      this.dropped += removed;
    }
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  text(): string {
    const marker = this.dropped > 0 ? `\n… ${this.dropped} bytes of output left out …\n` : '';
    return Buffer.concat(this.head).toString('utf8') + marker + Buffer.concat(this.tail).toString('utf8');
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

interface StepResult {
  exitCode: number | null;
  startError: string | undefined;
}

function runStep(step: readonly string[], run: BuildRun, stdout: KeptOutput, stderr: KeptOutput, stop: AbortSignal): Promise<StepResult> {
  return new Promise((resolve) => {
    const child = spawn(step[0], step.slice(1), { cwd: run.cwd, env: run.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let escalation: NodeJS.Timeout | undefined;
    const terminate = () => {
      killGroup(child.pid, 'SIGTERM');
      escalation = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    stop.addEventListener('abort', terminate, { once: true });
    child.stdout.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.add(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      stop.removeEventListener('abort', terminate);
      resolve({ exitCode: null, startError: error.code === 'ENOENT' ? `${step[0]}: command not found` : error.message });
    });
    child.on('close', (code) => {
      stop.removeEventListener('abort', terminate);
      clearTimeout(escalation);
      // Whatever the step started and left running goes with it.
      killGroup(child.pid, 'SIGKILL');
      resolve({ exitCode: code, startError: undefined });
    });
  });
}

export async function runBuild(run: BuildRun): Promise<BuildResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(run.timeoutMs);
  const stop = AbortSignal.any([run.signal, timeout]);
  const stdout = new KeptOutput(MAX_KEPT_BYTES);
  const stderr = new KeptOutput(MAX_KEPT_BYTES);
  let last: StepResult = { exitCode: 0, startError: undefined };
  let failedStep: readonly string[] | undefined;
  for (const step of run.steps) {
    if (stop.aborted) break;
    last = await runStep(step, run, stdout, stderr, stop);
    if (last.exitCode !== 0) {
      failedStep = step;
      break;
    }
  }
  const cancelled = run.signal.aborted;
  const timedOut = !cancelled && timeout.aborted;
  return {
    passed: failedStep === undefined && !cancelled && !timedOut,
    exitCode: last.exitCode,
    timedOut,
    cancelled,
    stdout: stdout.text(),
    stderr: stderr.text(),
    truncated: stdout.truncated || stderr.truncated,
    durationMs: performance.now() - started,
    failedStep,
    startError: last.startError,
  };
}

/** `_build_iterN.log`: what the build said, both streams, as electrictown writes it. */
export function buildLog(result: BuildResult, steps: readonly (readonly string[])[]): string {
  const status = result.cancelled ? 'cancelled' : result.timedOut ? 'timed out' : result.startError ? result.startError : result.passed ? 'passed' : `failed (exit ${result.exitCode})`;
  return [`$ ${steps.map((step) => step.join(' ')).join(' && ')}`, `# ${status} in ${(result.durationMs / 1000).toFixed(1)} s${result.truncated ? '; output cut' : ''}`, '=== stdout ===', result.stdout, '=== stderr ===', result.stderr, ''].join('\n');
}
