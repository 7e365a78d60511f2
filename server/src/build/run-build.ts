// Runs a build: each step as its own session and process group, without a shell, in an environment
// without secrets, with a time limit and a cap on the output kept. A step is over when its process
// exits — not when its pipes close, which a daemon holding them could put off for ever: the pipes then
// get PIPE_GRACE_MS to drain and are closed. Whatever the step started dies with it (process-reaper.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { commandLine } from './detect-build';
import { KeptOutput } from './kept-output';
import { ProcessReaper, STEP_MARKER_VARIABLE } from './process-reaper';
import { stepEnvironment } from './step-environment';

/** Kept of each stream: the head (where most compilers start) and the tail (where tracebacks end). */
export const MAX_KEPT_BYTES = 1024 * 1024;
/** After a step exits, how long output still in its pipes gets to arrive. */
const PIPE_GRACE_MS = 200;

export interface BuildRun {
  steps: readonly (readonly string[])[];
  cwd: string;
  timeoutMs: number;
  signal: AbortSignal;
  /** The environment to start from (default: the process's); variables that look secret are left out. */
  env?: NodeJS.ProcessEnv;
  /** More variables to leave out of the steps' environment, such as those the config reads API keys from. */
  secretNames?: readonly string[];
  /** How a step is run: in a sandbox (gates/sandbox.ts), or as it is. */
  wrap?: (step: readonly string[], cwd: string) => string[];
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
  /** Why a step could not start (no such command, the folder is gone). */
  startError: string | undefined;
}

interface StepResult {
  exitCode: number | null;
  startError: string | undefined;
}

function startError(step: readonly string[], cwd: string, error: unknown): string {
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code !== 'ENOENT') return `${step[0]}: ${error instanceof Error ? error.message : String(error)}`;
  // spawn says ENOENT for a missing folder as well as for a missing command.
  return existsSync(cwd) ? `${step[0]}: command not found` : `${step[0]}: the build folder ${cwd} no longer exists`;
}

/** Resolves when both pipes have closed or `ms` have passed, then closes them: a daemon may hold them open. */
async function drainPipes(child: ChildProcess, ms: number): Promise<void> {
  const pipes = [child.stdout, child.stderr].filter((pipe) => pipe !== null);
  let timer: NodeJS.Timeout | undefined;
  const closed = pipes.map((pipe) => (pipe.closed ? Promise.resolve() : new Promise<void>((resolve) => pipe.once('close', () => resolve()))));
  await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
  for (const pipe of pipes) pipe.destroy();
}

function runStep(step: readonly string[], run: BuildRun, environment: NodeJS.ProcessEnv, stdout: KeptOutput, stderr: KeptOutput, stop: AbortSignal): Promise<StepResult> {
  return new Promise((resolve) => {
    const marker = randomUUID();
    const argv = run.wrap ? run.wrap(step, run.cwd) : step;
    let child: ChildProcess;
    try {
      child = spawn(argv[0], argv.slice(1), { cwd: run.cwd, env: { ...environment, [STEP_MARKER_VARIABLE]: marker }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    } catch (error) {
      resolve({ exitCode: null, startError: startError(step, run.cwd, error) });
      return;
    }
    child.stdout?.on('data', (chunk: Buffer) => stdout.add(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.add(chunk));
    if (child.pid === undefined) {
      child.once('error', (error) => resolve({ exitCode: null, startError: startError(step, run.cwd, error) }));
      return;
    }
    const reaper = new ProcessReaper(child.pid, marker);
    reaper.watch();
    const terminate = () => void reaper.end();
    stop.addEventListener('abort', terminate, { once: true });
    // Errors after a start (a failed kill) change nothing: the exit still comes.
    child.on('error', () => {});
    child.once('exit', (code) => {
      stop.removeEventListener('abort', terminate);
      reaper.markRootExited();
      // Whatever the step started and left running goes with it.
      void Promise.all([reaper.end(), drainPipes(child, PIPE_GRACE_MS)]).then(() => resolve({ exitCode: code, startError: undefined }));
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
  const environment = stepEnvironment(run.env ?? process.env, run.secretNames);
  for (const step of run.steps) {
    if (stop.aborted) break;
    last = await runStep(step, run, environment, stdout, stderr, stop);
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
  return [`$ ${commandLine(steps)}`, `# ${status} in ${(result.durationMs / 1000).toFixed(1)} s${result.truncated ? '; output cut' : ''}`, '=== stdout ===', result.stdout, '=== stderr ===', result.stderr, ''].join('\n');
}
