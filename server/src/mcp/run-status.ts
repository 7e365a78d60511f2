// What `run_status` answers: a run's state at a glance — where it is, what is done, what it has spent —
// from its record, or from its ticket while it has no record (queued, starting, or never started).
// Small on purpose: the whole record is the `electrictown://runs/{id}` resource. Pure.
import type { PhaseName, RunRecord, RunStatus, Spend, SubtaskStatus } from '../protocol';
import { runSpend } from '../run/run-record';

export type RunState = RunStatus | 'queued' | 'starting' | 'dropped';

export interface RunStatusView {
  runId: string;
  status: RunState;
  /** `running` in its record, but no process runs it any more: it died (it can be resumed with `et run --resume`). */
  interrupted: boolean;
  /** The run's place in this server's line (1: next); null when not waiting, or waiting in another server. */
  position: number | null;
  /** Why, for a run that ended or never started: its error, or what its process said. */
  message: string | null;
  task: string;
  /** The phase under way; null when none is. */
  phase: PhaseName | null;
  phasesDone: PhaseName[];
  subtasks: {
    total: number;
    succeeded: number;
    failed: number;
    running: number;
    list: { index: number; text: string; status: SubtaskStatus; model: string | null; files: string[]; error: string | null }[];
  };
  /** Written so far, relative to outputDir. */
  files: string[];
  refused: number;
  /** With iterate: how each gate's last round went. */
  gates: { status: 'passed' | 'failed' | 'not-run'; reason: string | null; rounds: { iteration: number; gate: string | null; status: string; errors: number }[] } | null;
  spend: Spend;
  budgetUsd: number | null;
  exitCode: number | null;
  startedAt: string | null;
  endedAt: string | null;
  elapsedMs: number | null;
  folder: string | null;
  outputDir: string;
}

/** A run's state is final: waiting longer changes nothing. */
export function isSettled(view: Pick<RunStatusView, 'status' | 'interrupted'>): boolean {
  return view.interrupted || !['running', 'queued', 'starting'].includes(view.status);
}

const firstLine = (text: string) => {
  const line = text.split('\n')[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
};

const FAILED: readonly SubtaskStatus[] = ['failed', 'skipped', 'cancelled'];

/** The view of a run that has a record. */
export function recordStatus(record: RunRecord, interrupted: boolean, now: number): RunStatusView {
  const current = record.phases.at(-1);
  const ended = record.endedAt === undefined ? undefined : Date.parse(record.endedAt);
  return {
    runId: record.id,
    status: record.status,
    interrupted,
    position: null,
    message: record.error ?? (interrupted ? `its process (${record.pid}) is gone; resume it with: et run --resume ${record.id}` : null),
    task: record.task,
    phase: current && current.endedAt === undefined && record.status === 'running' ? current.name : null,
    phasesDone: record.phases.filter((phase) => phase.endedAt !== undefined).map((phase) => phase.name),
    subtasks: {
      total: record.subtasks.length,
      succeeded: record.subtasks.filter((subtask) => subtask.status === 'succeeded').length,
      failed: record.subtasks.filter((subtask) => FAILED.includes(subtask.status)).length,
      running: record.subtasks.filter((subtask) => subtask.status === 'running').length,
      list: record.subtasks.map((subtask) => ({ index: subtask.index, text: firstLine(subtask.text), status: subtask.status, model: subtask.model ?? null, files: subtask.files, error: subtask.error ?? null })),
    },
    files: record.files.written.map((file) => file.path),
    refused: record.files.refused.length,
    gates: record.build
      ? {
          status: record.build.status,
          reason: record.build.reason ?? null,
          rounds: record.build.attempts.map((attempt) => ({ iteration: attempt.iteration, gate: attempt.gate ?? null, status: attempt.status ?? (attempt.passed ? 'passed' : 'failed'), errors: attempt.errors })),
        }
      : null,
    spend: runSpend(record),
    budgetUsd: record.flags.budgetUsd,
    exitCode: record.exitCode,
    startedAt: record.startedAt,
    endedAt: record.endedAt ?? null,
    elapsedMs: (ended ?? now) - Date.parse(record.startedAt),
    folder: record.folder,
    outputDir: record.outputDir,
  };
}

const NO_SPEND: Spend = { tokens: { input: 0, cachedInput: 0, output: 0, reasoning: 0 }, usd: 0, requests: 0, unpricedAttempts: 0, estimatedAttempts: 0 };

/** The view of a run with no record yet: queued, starting, or one that never started. */
export function ticketStatus(run: { id: string; task: string; outputDir: string; budgetUsd: number | null }, status: RunState, position: number | null, message: string | null): RunStatusView {
  return {
    runId: run.id,
    status,
    interrupted: false,
    position,
    message,
    task: run.task,
    phase: null,
    phasesDone: [],
    subtasks: { total: 0, succeeded: 0, failed: 0, running: 0, list: [] },
    files: [],
    refused: 0,
    gates: null,
    spend: NO_SPEND,
    budgetUsd: run.budgetUsd,
    exitCode: null,
    startedAt: null,
    endedAt: null,
    elapsedMs: null,
    folder: null,
    outputDir: run.outputDir,
  };
}

/** One line for a progress notification: what changed is what an agent sees move. */
export function progressLine(view: RunStatusView): string {
  if (view.status === 'queued') return `run ${view.runId} queued${view.position === null ? '' : ` at place ${view.position}`}`;
  if (view.status === 'starting') return `run ${view.runId} starting`;
  const parts = [`run ${view.runId} ${view.interrupted ? 'interrupted' : view.status}`];
  if (view.phase) parts.push(view.phase);
  if (view.subtasks.total > 0) parts.push(`${view.subtasks.succeeded + view.subtasks.failed}/${view.subtasks.total} subtasks`);
  parts.push(`$${view.spend.usd.toFixed(4)}`);
  return parts.join(' · ');
}
