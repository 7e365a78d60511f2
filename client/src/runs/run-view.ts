// What the Runs tree shows of one run, built from its record (past runs) or from its events as they
// arrive (live runs). Both paths give the same shape, so the tree has one renderer. Pure: no vscode.
import type { PhaseName, ProposedFile, RunAttempt, RunEvent, RunFinding, RunRecord, RunStatus, Spend, SubtaskStatus } from '../../../server/src/protocol';

export interface SubtaskView {
  index: number;
  text: string;
  status: SubtaskStatus;
  /** The model that answered, as written in the config. */
  model: string | undefined;
  /** What it runs on while no model has answered yet: `role polecat`, `specialist tests`, … */
  chain: string | undefined;
  /** All its calls: the worker's and the witness's review of them. */
  tokens: number;
  usd: number;
  unpricedAttempts: number;
  /** Of those, the witness's reviews (`purpose: "review"`): the rest are the worker's own. */
  review: CallCost;
  /** Epoch ms; undefined before it starts. */
  startedAt: number | undefined;
  durationMs: number | undefined;
  files: string[];
  score: number | undefined;
  error: string | undefined;
}

/** What some calls cost: tokens (input and output), priced USD, and calls with no price. */
export interface CallCost {
  tokens: number;
  usd: number;
  unpricedAttempts: number;
}

const NO_COST: CallCost = { tokens: 0, usd: 0, unpricedAttempts: 0 };

export interface BuildView {
  /** The round; 0 for the setup step. */
  iteration: number;
  command: string;
  /** The gate's name (`build`, `vet`, `test`…); undefined from servers before gates. */
  gate: string | undefined;
  /** Its log in the run folder. */
  log: string;
  /** `no-tests` or `flaky` when it says so. */
  status: string | undefined;
  /** undefined while the build runs. */
  passed: boolean | undefined;
  errors: number | undefined;
  durationMs: number | undefined;
}

export interface RunView {
  id: string;
  task: string;
  status: RunStatus;
  /** A `running` record whose process died: it can be resumed. */
  interrupted: boolean;
  folder: string;
  outputDir: string;
  startedAt: number;
  endedAt: number | undefined;
  error: string | undefined;
  phases: { name: PhaseName; durationMs: number | undefined }[];
  subtasks: SubtaskView[];
  written: { path: string; subtask: number }[];
  proposed: ProposedFile[];
  refused: { path: string; reason: string; subtask: number }[];
  builds: BuildView[];
  findings: RunFinding[];
  spend: Spend;
  /** A run refined with Continue Run: the round it is in (2 and on) and that round's refinement. */
  round?: { number: number; refinement: string };
}

const NO_SPEND: Spend = { tokens: { input: 0, cachedInput: 0, output: 0, reasoning: 0 }, usd: 0, requests: 0, unpricedAttempts: 0, estimatedAttempts: 0 };

const time = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));
const tokensOf = (spend: Spend) => spend.tokens.input + spend.tokens.output;

/** Adds one call to a cost, in place. */
function addCall(cost: CallCost, attempt: Pick<RunAttempt, 'tokens' | 'usd'>): void {
  cost.tokens += attempt.tokens.input + attempt.tokens.output;
  if (attempt.usd === null) cost.unpricedAttempts++;
  else cost.usd += attempt.usd;
}

/** The witness's reviews among a subtask's calls. */
function reviewCost(attempts: readonly RunAttempt[]): CallCost {
  const cost = { ...NO_COST };
  for (const attempt of attempts) if (attempt.purpose === 'review') addCall(cost, attempt);
  return cost;
}

export function viewFromRecord(record: RunRecord, interrupted = false): RunView {
  return {
    id: record.id,
    task: record.task,
    status: record.status,
    interrupted,
    folder: record.folder,
    outputDir: record.outputDir,
    startedAt: Date.parse(record.startedAt),
    endedAt: time(record.endedAt),
    error: record.error,
    ...(record.refinement === undefined ? {} : { round: { number: (record.rounds?.length ?? 0) + 1, refinement: record.refinement } }),
    phases: record.phases.map((phase) => ({ name: phase.name, durationMs: phase.durationMs })),
    subtasks: record.subtasks.map((subtask) => {
      const started = time(subtask.startedAt);
      const ended = time(subtask.endedAt);
      return {
        index: subtask.index,
        text: subtask.text,
        status: subtask.status,
        model: subtask.model,
        chain: undefined,
        tokens: tokensOf(subtask.spend),
        usd: subtask.spend.usd,
        unpricedAttempts: subtask.spend.unpricedAttempts,
        review: reviewCost(subtask.attempts),
        startedAt: started,
        durationMs: started !== undefined && ended !== undefined ? ended - started : undefined,
        files: subtask.files,
        score: subtask.review?.score,
        error: subtask.error,
      };
    }),
    written: record.files.written.map(({ path, subtask }) => ({ path, subtask })),
    proposed: record.files.proposed ?? [],
    refused: record.files.refused,
    builds: [...(record.build?.setup ?? []).map((step) => ({ iteration: 0, command: step.command, gate: step.name, log: step.log, status: step.cached ? 'cached' : undefined, passed: step.passed, errors: 0, durationMs: step.durationMs })), ...(record.build?.attempts ?? []).map((attempt) => ({ iteration: attempt.iteration, command: attempt.command, gate: attempt.gate, log: attempt.log, status: attempt.status, passed: attempt.passed, errors: attempt.errors, durationMs: attempt.durationMs }))],
    findings: record.findings,
    spend: record.totals,
  };
}

/**
 * A run about to be resumed, from its last view: running again, with what the new life redoes cleared
 * (phases, and the files, which its write phase reports again). Its subtasks, findings, builds and
 * spend stay: a resumed run keeps its finished work and counts what it spent. Pure.
 */
export function resumedView(view: RunView): RunView {
  return { ...view, status: 'running', interrupted: false, endedAt: undefined, error: undefined, phases: [], written: [], proposed: [], refused: [] };
}

/** A live run's view before its first event arrives. */
export function startingView(runId: string, task: string, folder: string, now: number): RunView {
  return { id: runId, task, status: 'running', interrupted: false, folder, outputDir: '', startedAt: now, endedAt: undefined, error: undefined, phases: [], subtasks: [], written: [], proposed: [], refused: [], builds: [], findings: [], spend: NO_SPEND };
}

function subtaskOf(view: RunView, index: number | undefined): SubtaskView | undefined {
  return index === undefined ? undefined : view.subtasks[index - 1];
}

/**
 * Applies one batch of events to the view, in place (a 64-subtask run sends thousands; copying the
 * view for each would cost more than the tree's refresh). `now` is the arrival time, in epoch ms.
 */
export function applyEvents(view: RunView, events: readonly RunEvent[], now: number): void {
  for (const event of events) {
    switch (event.kind) {
      case 'run-start':
        view.task = event.task;
        view.folder = event.folder;
        view.outputDir = event.outputDir;
        if (event.round !== undefined) view.round = { number: event.round, refinement: event.refinement ?? '' };
        break;
      case 'phase-start':
        view.phases.push({ name: event.phase, durationMs: undefined });
        break;
      case 'phase-end': {
        const phase = view.phases.findLast((candidate) => candidate.name === event.phase && candidate.durationMs === undefined);
        if (phase) phase.durationMs = event.durationMs;
        break;
      }
      case 'plan-ready': {
        // A resumed run announces its kept plan again; the subtasks that had succeeded are not redone. A
        // follow-up round announces only its own, numbered on from the earlier rounds', which stay.
        const before = new Map(view.subtasks.map((subtask) => [subtask.index, subtask]));
        const first = Math.min(...event.subtasks.map((planned) => planned.index));
        const earlier = view.subtasks.filter((subtask) => subtask.index < first);
        view.subtasks = [...earlier, ...event.subtasks.map((planned): SubtaskView => {
          const known = before.get(planned.index);
          return known?.status === 'succeeded' && known.text === planned.text ? known : { index: planned.index, text: planned.text, status: 'pending', model: undefined, chain: undefined, tokens: 0, usd: 0, unpricedAttempts: 0, review: { ...NO_COST }, startedAt: undefined, durationMs: undefined, files: [], score: undefined, error: undefined };
        })];
        break;
      }
      case 'subtask-start': {
        const subtask = subtaskOf(view, event.subtask);
        if (!subtask) break;
        subtask.status = 'running';
        subtask.startedAt ??= now;
        subtask.chain = event.chain;
        break;
      }
      case 'attempt-end': {
        const subtask = subtaskOf(view, event.subtask);
        if (!subtask) break;
        subtask.tokens += event.tokens.input + event.tokens.output;
        if (event.usd === null) subtask.unpricedAttempts++;
        else subtask.usd += event.usd;
        if (event.purpose === 'review') addCall(subtask.review, event);
        // The model that answered the worker, not the witness that reviewed it.
        else if (event.outcome === 'ok') subtask.model = event.reference;
        break;
      }
      case 'review-end': {
        const subtask = subtaskOf(view, event.subtask);
        if (subtask) subtask.score = event.review.score;
        view.findings.push(...event.findings);
        break;
      }
      case 'subtask-end': {
        const subtask = subtaskOf(view, event.subtask);
        if (!subtask) break;
        Object.assign(subtask, { status: event.status, model: event.model ?? subtask.model, tokens: tokensOf(event.spend), usd: event.spend.usd, unpricedAttempts: event.spend.unpricedAttempts, durationMs: event.durationMs, files: event.files, error: event.error });
        break;
      }
      case 'file-write': {
        const known = view.written.findIndex((file) => file.path === event.path);
        if (known === -1) view.written.push({ path: event.path, subtask: event.subtask });
        else view.written[known] = { path: event.path, subtask: event.subtask };
        break;
      }
      case 'file-propose': {
        const { kind: _kind, ...file } = event;
        view.proposed.push(file);
        break;
      }
      case 'file-refuse':
        view.refused.push({ path: event.path, reason: event.reason, subtask: event.subtask });
        break;
      case 'cost-update':
        view.spend = event.spend;
        break;
      case 'build-start':
        view.builds.push({ iteration: event.iteration, command: event.command, gate: event.gate, log: gateLog(event.iteration, event.gate), status: undefined, passed: undefined, errors: undefined, durationMs: undefined });
        break;
      case 'build-end': {
        // Several gates run in one round: the one that ends is the last of that round and name still open.
        const build = [...view.builds].reverse().find((candidate) => candidate.iteration === event.iteration && candidate.gate === event.gate && candidate.passed === undefined);
        if (build) Object.assign(build, { passed: event.passed, errors: event.errors, durationMs: event.durationMs, status: event.status });
        break;
      }
      case 'run-end':
        Object.assign(view, { status: event.status, error: event.error, spend: event.spend, endedAt: now });
        break;
      default:
        // text-delta, text-restart, warning-add, synthesis-end: not shown in the tree.
        break;
    }
  }
}

/** Compact figures for a description line: `1.2k tok · $0.0031 · 4.1s`. */
export function formatTokens(tokens: number): string {
  return tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k tok` : `${tokens} tok`;
}

export function formatUsd(usd: number, unpricedAttempts: number): string {
  const priced = usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
  // Unpriced calls are never shown as free.
  if (unpricedAttempts === 0) return priced;
  return usd === 0 ? 'unpriced' : `${priced} + unpriced`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}

/** The worker's own calls: the subtask's, less the witness's reviews. */
export function workerCost(subtask: Pick<SubtaskView, 'tokens' | 'usd' | 'unpricedAttempts' | 'review'>): CallCost {
  return { tokens: subtask.tokens - subtask.review.tokens, usd: Math.max(0, subtask.usd - subtask.review.usd), unpricedAttempts: subtask.unpricedAttempts - subtask.review.unpricedAttempts };
}

/** A cost as the tree shows it: `52 tok $0.0004`, `52 tok unpriced`; empty with no calls. */
function costText(cost: CallCost): string {
  if (cost.tokens === 0 && cost.unpricedAttempts === 0 && cost.usd === 0) return '';
  return `${formatTokens(cost.tokens)} ${formatUsd(cost.usd, cost.unpricedAttempts)}`;
}

/** A subtask's cost: the worker's own calls, then the review's, each with its figures. Pure. */
export function subtaskCostText(subtask: Pick<SubtaskView, 'tokens' | 'usd' | 'unpricedAttempts' | 'review'>): string {
  const work = costText(workerCost(subtask));
  const review = costText(subtask.review);
  if (review === '') return work === '' ? '' : `work ${work}`;
  return [work === '' ? '' : `work ${work}`, `review ${review}`].filter(Boolean).join(' · ');
}

/** Runs by start time, newest first (a resumed run keeps its first start). Pure. */
export function newestFirst<T extends { view: Pick<RunView, 'startedAt'> | undefined; summary: { startedAt: string } | undefined }>(runs: readonly T[]): T[] {
  const started = (run: T) => run.view?.startedAt ?? (run.summary ? Date.parse(run.summary.startedAt) : 0);
  return [...runs].sort((a, b) => started(b) - started(a));
}

/** Subtasks that ended, one way or another. */
export const settledCount = (view: RunView) => view.subtasks.filter((subtask) => subtask.status !== 'pending' && subtask.status !== 'running').length;

/** What the progress notification says about a run now: a build, the subtasks, or the phase. Pure. */
export function progressMessage(view: RunView): string | undefined {
  const build = view.builds.at(-1);
  if (build && build.passed === undefined) return `${buildLabel(build)}: ${build.command}`;
  const total = view.subtasks.length;
  const settled = settledCount(view);
  if (total > 0 && settled < total) return `${settled}/${total} subtasks · ${formatUsd(view.spend.usd, view.spend.unpricedAttempts)}`;
  return (view.phases.findLast((phase) => phase.durationMs === undefined) ?? view.phases.at(-1))?.name;
}

/** A gate's log in the run folder, as the server names it. */
export function gateLog(iteration: number, gate: string | undefined): string {
  if (gate === undefined) return `_build_iter${iteration}.log`;
  return iteration === 0 ? `_gate_${gate}_setup.log` : `_gate_${gate}_iter${iteration}.log`;
}

/** `round 2 · test`, `setup · install`, or `build 2` for a record from before gates. */
export function buildLabel(build: Pick<BuildView, 'iteration' | 'gate'>): string {
  if (build.gate === undefined) return `build ${build.iteration}`;
  return build.iteration === 0 ? `setup · ${build.gate}` : `round ${build.iteration} · ${build.gate}`;
}
