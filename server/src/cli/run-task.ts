// `et run` end to end: prepare the run, drive the engine, and report — a human report on stderr (the
// summary on stdout), or NDJSON events on stdout with --json. The first Ctrl-C cancels the run, which
// still writes run.json and exits 130; a second one exits at once.
import type { RunEvent, RunFlags, RunRecord } from '../protocol';
import { approveInTerminal, askInTerminal } from './run-questions';
import { terminalSafe } from './terminal-text';
import { ChainError, chainForRole } from '../router/chain';
import { EXIT_CODES, runTask } from '../run/engine';
import { EventBatcher } from '../run/event-batcher';
import { prepareResume, prepareRun, ResumeError, type PreparedRun } from '../run/prepare-run';
import { RunNotFoundError } from '../run/run-store';
import { FollowUpError } from '../run/follow-up/round-record';
import { RunOptionsError } from '../run/run-options';
import { writeProducedFiles } from '../run/write-files';
import { diffKeepingWriter, readKeptDiffs } from '../run/kept-diffs';
import { runResult } from '../run/run-result';
import { flagName } from './command-run';
import { CliError, EXIT_INTERRUPTED, UsageError, type CliContext } from './context';
import { LiveBlock } from './live-block';
import { formatHeader, formatOutcome, formatPhaseTable, formatRoleTable, formatWorkerLine } from './run-report';

export interface RunRequest {
  /** undefined only with `resume` given as a folder. */
  configFile: string | undefined;
  task: string;
  flags: RunFlags;
  json: boolean;
  /** A run id or folder to continue; with a task, the task refines it (a follow-up round). */
  resume: string | undefined;
  /** The new run's id, when the caller chose it (`--run-id`). */
  runId?: string;
  context: CliContext;
}

interface Reporter {
  emit(event: RunEvent): void;
  finish(record: RunRecord): void;
  /** Holds the live lines and what would be printed while the user is asked something. */
  pause?(): void;
  resume?(): void;
}

function chainText(prepared: PreparedRun, role: string): string {
  try {
    const chain = chainForRole(prepared.input.config, role);
    const pool = chain.pool.length > 0 ? ` (pool: ${chain.pool.map((entry) => entry.reference).join(', ')})` : '';
    return chain.entries.map((entry) => entry.reference).join(' → ') + pool;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

interface RunningWorker {
  chain: string;
  purpose: string;
  started: number;
  characters: number;
}

/** A running worker's live line: `[2/8] role polecat · work · ~310 tok · 4.2 s`. */
function liveLine(index: number, total: number, worker: RunningWorker, now: number): string {
  return `[${index}/${total}] ${worker.chain} · ${worker.purpose} · ~${Math.round(worker.characters / 4).toLocaleString('en-US')} tok · ${((now - worker.started) / 1000).toFixed(1)} s`;
}

function humanReporter(context: CliContext, prepared: PreparedRun, columns: number | undefined): Reporter {
  const { flags } = prepared.input.settings;
  let total = 0;
  let synthesis: string | undefined;
  /** The workers' own generation, by subtask: the review's tokens are not the worker's speed. */
  const generation = new Map<number, { outputTokens: number; durationMs: number }>();
  const running = new Map<number, RunningWorker>();
  /** The mayor's or refinery's phase under way, shown while no worker runs. */
  let phase: { name: string; started: number } | undefined;
  const liveLines = () => {
    const now = Date.now();
    if (running.size > 0) return [...running].sort(([a], [b]) => a - b).map(([index, worker]) => liveLine(index, total, worker, now));
    return phase ? [`${phase.name} · ${((now - phase.started) / 1000).toFixed(1)} s`] : [];
  };
  // In a terminal, running workers have a line each, updated in place; elsewhere, a line when each ends.
  const live = context.interactive && columns !== undefined ? new LiveBlock(context.stderr, liveLines, columns) : undefined;
  // Everything printed here may hold what a model wrote: shown, never obeyed by the terminal.
  let held: string[] | undefined;
  const print = (text: string) => (held ? held.push(text) : live ? live.print(terminalSafe(text)) : context.stderr(terminalSafe(text)));
  return {
    pause() {
      held ??= [];
      live?.stop();
    },
    resume() {
      const lines = held ?? [];
      held = undefined;
      live?.start();
      for (const text of lines) print(text);
    },
    emit(event) {
      switch (event.kind) {
        case 'run-start': {
          const roles = [flags.role, 'polecat', ...(flags.reviewer ? ['witness'] : []), ...(flags.refinery && flags.synthesize ? ['refinery'] : [])];
          const record = { id: event.runId, task: event.task, folder: event.folder, outputDir: event.outputDir, flags, config: prepared.input.configFile };
          context.stderr(terminalSafe(formatHeader({ record, chains: roles.map((role) => [role, chainText(prepared, role)]) })));
          if (event.round !== undefined) context.stderr(terminalSafe(`round ${event.round}: ${event.refinement ?? ''}\n`));
          live?.start();
          return;
        }
        case 'plan-ready':
          total = event.subtasks.length;
          print(`plan: ${total} subtask${total === 1 ? '' : 's'}\n${event.subtasks.map((subtask) => `  ${subtask.index}. ${subtask.text.split('\n')[0]}${subtask.dependsOn.length ? ` [after ${subtask.dependsOn.join(', ')}]` : ''}${subtask.specialist ? ` [${subtask.specialist}]` : ''}`).join('\n')}\n`);
          return;
        case 'phase-start':
          if (event.phase !== 'validate' && event.phase !== 'review' && event.phase !== 'write') phase = { name: event.phase, started: Date.now() };
          live?.redraw();
          return;
        case 'phase-end':
          if (phase?.name === event.phase) phase = undefined;
          return;
        case 'subtask-start': {
          const worker = running.get(event.subtask);
          if (worker) worker.purpose = event.purpose;
          // A fix after a failed build has no end event of its own: the build that follows reports it.
          else if (event.purpose !== 'fix') running.set(event.subtask, { chain: event.chain, purpose: event.purpose, started: Date.now(), characters: 0 });
          return;
        }
        case 'build-start':
          phase = { name: `${gateLabel(event)}: ${event.command}`, started: Date.now() };
          live?.redraw();
          return;
        case 'build-end':
          phase = undefined;
          print(`${gateLabel(event)}: ${gateResult(event)} (${(event.durationMs / 1000).toFixed(1)} s)\n`);
          return;
        case 'text-delta': {
          const worker = running.get(event.subtask);
          if (worker) worker.characters += event.text.length;
          return;
        }
        case 'attempt-end':
          if (event.subtask !== undefined && event.role === 'polecat') {
            const worker = generation.get(event.subtask) ?? { outputTokens: 0, durationMs: 0 };
            worker.outputTokens += event.tokens.output;
            worker.durationMs += event.durationMs;
            generation.set(event.subtask, worker);
          }
          if (event.outcome === 'retry' || event.outcome === 'fallback') print(`note: ${event.subtask === undefined ? event.purpose : `subtask ${event.subtask}`}: ${event.reference}: ${event.errorClass ?? 'error'}, ${event.outcome === 'retry' ? 'retrying' : 'trying the next model'}\n`);
          return;
        case 'review-end':
          if (!event.review.passed) print(`note: subtask ${event.subtask}: the witness scored it ${event.review.score}/10${event.review.reason ? ` (${event.review.reason})` : ''}\n`);
          return;
        case 'subtask-end':
          running.delete(event.subtask);
          print(formatWorkerLine({ index: event.subtask, total, model: event.model, succeeded: event.status === 'succeeded', ...(generation.get(event.subtask) ?? { outputTokens: 0, durationMs: 0 }), elapsedMs: event.durationMs, detail: event.status === 'succeeded' ? undefined : `${event.status}: ${event.error ?? ''}` }));
          return;
        case 'warning-add':
          print(`warning: ${event.message}\n`);
          return;
        case 'synthesis-end':
          synthesis = event.text;
          return;
        default:
      }
    },
    finish(record) {
      live?.stop();
      if (synthesis) context.stdout(terminalSafe(synthesis.endsWith('\n') ? synthesis : `${synthesis}\n`));
      const totalMs = Date.parse(record.endedAt ?? record.startedAt) - Date.parse(record.startedAt);
      context.stderr(terminalSafe(`\n${formatPhaseTable(record.phases, totalMs)}\n${formatRoleTable(record.totals)}\n${formatOutcome({ ...record, warnings: [] })}`));
    },
  };
}

/**
 * NDJSON: every run event, then one `result` line — what an agent needs of the run, the object et
 * mcp's `run_result` returns. Not a RunEvent: it is never sent over the language server's protocol.
 */
function jsonReporter(context: CliContext, folder: string): Reporter & { finishWithResult(record: RunRecord): Promise<void> } {
  const batcher = new EventBatcher((events) => context.stdout(events.map((event) => `${JSON.stringify(event)}\n`).join('')));
  let summary: string | undefined;
  return {
    emit(event) {
      if (event.kind === 'synthesis-end') summary = event.text;
      batcher.push(event);
    },
    finish: () => batcher.flush(),
    async finishWithResult(record) {
      batcher.flush();
      context.stdout(`${JSON.stringify({ kind: 'result', ...runResult(record, summary, await readKeptDiffs(folder)) })}\n`);
    },
  };
}

async function prepare(request: RunRequest): Promise<PreparedRun> {
  const { context } = request;
  const onLedgerError = (error: unknown) => context.stderr(`warning: the cost ledger could not be written: ${error instanceof Error ? error.message : String(error)}\n`);
  const onWarning = (message: string) => context.stderr(`warning: ${message}\n`);
  try {
    if (request.resume !== undefined && request.task !== '') {
      const { prepareFollowUp } = await import('../run/follow-up/prepare-follow-up');
      const prepared = await prepareFollowUp({ run: request.resume, refinement: request.task, iterate: request.flags.iterate, approvePlan: request.flags.approvePlan, configFile: request.configFile, baseDirectory: context.cwd, environment: context.env, onLedgerError, onWarning, budgetUsd: request.flags.budgetUsd });
      for (const warning of prepared.warnings) context.stderr(`warning: ${warning}\n`);
      return prepared;
    }
    if (request.resume !== undefined) {
      const prepared = await prepareResume({ run: request.resume, configFile: request.configFile, baseDirectory: context.cwd, environment: context.env, onLedgerError, onWarning, budgetUsd: request.flags.budgetUsd });
      for (const warning of prepared.warnings) context.stderr(`warning: ${warning}\n`);
      return prepared;
    }
    return await prepareRun({
      configFile: request.configFile as string,
      task: request.task,
      flags: request.flags,
      baseDirectory: context.cwd,
      environment: context.env,
      onLedgerError,
      onWarning,
      id: request.runId,
    });
  } catch (error) {
    if (error instanceof ResumeError || error instanceof RunNotFoundError || error instanceof FollowUpError) throw new CliError(error.message);
    if (error instanceof RunOptionsError) throw error.field === 'task' ? new UsageError(`the task ${error.rule}`) : new UsageError(`${flagName(error.field)} ${error.rule}`, 'et run --help lists the options');
    if (error instanceof ChainError) throw new CliError(error.message, `fix the roles in ${request.configFile ?? 'the config'}`);
    throw error;
  }
}

export async function runFromCli(request: RunRequest): Promise<number> {
  const { context } = request;
  const prepared = await prepare(request);
  const json = request.json ? jsonReporter(context, prepared.input.folder.directory) : undefined;
  const reporter = json ?? humanReporter(context, prepared, context.columns);
  const controller = new AbortController();
  let interrupts = 0;
  const interrupt = () => {
    if (++interrupts > 1) process.exit(EXIT_INTERRUPTED);
    if (!request.json) context.stderr('cancelling (Ctrl-C again to quit at once)…\n');
    controller.abort(new Error('cancelled by Ctrl-C'));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    const askToRaiseBudget = !request.json && context.ask ? askInTerminal(context.ask, reporter) : undefined;
    const approvePlan = !request.json && context.ask ? approveInTerminal(context.ask, reporter) : undefined;
    if (prepared.input.settings.flags.approvePlan && !approvePlan) context.stderr('warning: --approve-plan needs a terminal to ask in (and no --json); the plan is not waited on\n');
    const writeFiles = diffKeepingWriter(writeProducedFiles, prepared.input.folder.directory);
    let end: Extract<RunEvent, { kind: 'run-end' }> | undefined;
    const emit = (event: RunEvent) => {
      if (event.kind === 'run-end') end = event;
      reporter.emit(event);
    };
    const record = await runTask(prepared.input, { router: prepared.router, writeFiles, emit, signal: controller.signal, askToRaiseBudget, approvePlan });
    // A follow-up round cancelled at its plan: the round ended cancelled, the run is as it was.
    if (end?.status === 'cancelled' && record.status !== 'cancelled') {
      context.stderr(`the refinement was cancelled at its plan: run ${record.id} is as it was (${record.status})\n`);
      if (json) await json.finishWithResult(record);
      return end.exitCode ?? EXIT_CODES.cancelled;
    }
    if (json) await json.finishWithResult(record);
    else reporter.finish(record);
    return record.exitCode ?? 1;
  } finally {
    process.removeListener('SIGINT', interrupt);
    process.removeListener('SIGTERM', interrupt);
    await Promise.all([prepared.ledger.close(), prepared.router.flushHealth()]);
  }
}

/** `setup install`, `round 2 test`, or `build 2` from a server before gates. */
function gateLabel(event: { iteration: number; gate?: string }): string {
  if (event.gate === undefined) return `build ${event.iteration}`;
  return event.iteration === 0 ? `setup ${event.gate}` : `round ${event.iteration} ${event.gate}`;
}

function gateResult(event: Extract<RunEvent, { kind: 'build-end' }>): string {
  if (event.status === 'no-tests') return '— no tests ran';
  if (event.status === 'flaky') return '✓ passed on a second run (flaky)';
  if (event.status === 'timed-out') return '✗ timed out';
  if (event.passed) return '✓ passed';
  return event.gateKind === 'test' ? `✗ ${event.errors} failing` : `✗ ${event.errors} ${event.errors === 1 ? 'error' : 'errors'}`;
}
