// The run record (`run.json`) and the arithmetic on it: a new record, attempts added to the spend of a
// subtask, a role and the run. The engine changes the record; this module says what a change means.
// Pure.
import type { AttemptRecord } from '../router/router';
import { diffStat } from '../edits/run-diff';
import type { FileChange } from '../edits/working-copy';
import type { CallPurpose, FileChangeRecord, RunAttempt, RunRecord, Spend, SubtaskRecord } from '../protocol';
import type { Subtask } from './decompose';
import type { RunSettings } from './run-options';

export function emptySpend(): Spend {
  return { tokens: { input: 0, cachedInput: 0, output: 0, reasoning: 0 }, usd: 0, requests: 0, unpricedAttempts: 0, estimatedAttempts: 0 };
}

/** An attempt that reached a provider adds its tokens and cost; one the router skipped adds nothing. */
export function addToSpend(spend: Spend, attempt: RunAttempt): void {
  if (attempt.outcome === 'skipped') return;
  spend.requests++;
  spend.tokens.input += attempt.tokens.input;
  spend.tokens.cachedInput += attempt.tokens.cachedInput;
  spend.tokens.output += attempt.tokens.output;
  spend.tokens.reasoning += attempt.tokens.reasoning;
  if (attempt.usd === null) spend.unpricedAttempts++;
  else spend.usd += attempt.usd;
  if (attempt.estimated) spend.estimatedAttempts++;
}

export function runAttempt(record: AttemptRecord, purpose: CallPurpose, role: string): RunAttempt {
  const { usage } = record;
  return {
    purpose,
    role,
    reference: record.reference,
    provider: record.provider,
    modelId: record.modelId,
    outcome: record.outcome,
    ...(record.errorClass ? { errorClass: record.errorClass } : {}),
    tokens: { input: usage.inputTokens ?? 0, cachedInput: usage.cachedInputTokens ?? 0, output: usage.outputTokens ?? 0, reasoning: usage.reasoningTokens ?? 0 },
    usd: record.sent ? record.usd : 0,
    estimated: record.usageEstimated,
    durationMs: Math.round(record.durationMs),
    ...(record.cutAtOutputCap ? { cutAtOutputCap: true } : {}),
  };
}

/** Counts an attempt on the run's totals and its role's. */
export function recordAttempt(record: RunRecord, attempt: RunAttempt): void {
  addToSpend(record.totals, attempt);
  addToSpend((record.totals.byRole[attempt.role] ??= emptySpend()), attempt);
}

/** The run's totals without the breakdown by role. */
export function runSpend(record: RunRecord): Spend {
  const { tokens, usd, requests, unpricedAttempts, estimatedAttempts } = record.totals;
  return { tokens: { ...tokens }, usd, requests, unpricedAttempts, estimatedAttempts };
}

export interface NewRecord {
  id: string;
  settings: RunSettings;
  config: RunRecord['config'];
  folder: string;
  startedAt: Date;
  pid: number;
}

export function newRunRecord({ id, settings, config, folder, startedAt, pid }: NewRecord): RunRecord {
  return {
    version: 1,
    id,
    task: settings.task,
    status: 'running',
    exitCode: null,
    error: undefined,
    startedAt: startedAt.toISOString(),
    endedAt: undefined,
    pid,
    config,
    flags: settings.flags,
    outputDir: settings.outputDirectory,
    folder,
    phases: [],
    subtasks: [],
    files: { written: [], refused: [], conflicts: [] },
    findings: [],
    warnings: [],
    totals: { ...emptySpend(), byRole: {} },
    synthesis: undefined,
    build: undefined,
    brief: undefined,
    resumedAt: [],
  };
}

export function subtaskRecord(subtask: Subtask): SubtaskRecord {
  return {
    index: subtask.index,
    text: subtask.text,
    dependsOn: subtask.dependsOn,
    specialist: subtask.specialist,
    status: 'pending',
    model: undefined,
    attempts: [],
    spend: emptySpend(),
    files: [],
    plannedFiles: subtask.files,
    review: undefined,
    revisions: 0,
    startedAt: undefined,
    endedAt: undefined,
    error: undefined,
    output: undefined,
  };
}

/** A file's changes as the record keeps them: per subtask, its blocks, how they matched, the lines. */
export function changeRecord(change: FileChange): FileChangeRecord {
  return {
    path: change.path,
    created: change.before === undefined,
    subtasks: [...change.subtasks],
    ...diffStat(change.before, change.after),
    edits: change.edits.map((edit) => ({
      subtask: edit.subtask,
      kind: edit.kind,
      blocks: edit.applied.length,
      exact: edit.applied.filter((applied) => applied.match === 'exact').length,
      whitespace: edit.applied.filter((applied) => applied.match === 'whitespace').length,
      lines: edit.applied.map((applied) => (applied.endLine > applied.startLine ? `${applied.startLine}-${applied.endLine}` : String(applied.startLine))),
      added: edit.applied.reduce((sum, applied) => sum + applied.added, 0),
      removed: edit.applied.reduce((sum, applied) => sum + applied.removed, 0),
    })),
  };
}
