// What an agent needs from a finished run, in one object: how it ended, where, the summary, each file
// written with its diff, the findings, the gates and the spend. `et run --json` ends with it (a
// `result` event) and `et mcp`'s `run_result` tool returns it; both build it here. The builder is
// pure; `loadRunResult` reads a run's folder for it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildRecord, ProposedFile, RunFinding, RunRecord, RunStatus, Spend, SubtaskStatus } from '../protocol';
import { currentRound } from './follow-up/round-record';
import { readKeptDiffs, type KeptDiff } from './kept-diffs';
import { runSpend } from './run-record';
import { isInterrupted, readRecordFile } from './run-store';

export interface ResultFile {
  /** Relative to the output directory. */
  path: string;
  bytes: number;
  subtask: number;
  /** The run created it; null when not known (a run from before diffs were kept). */
  created: boolean | null;
  /** Lines added and removed, as `git diff --stat` counts them; null when not known. */
  added: number | null;
  removed: number | null;
  /** Unified diff (git's format) from before the run to what it wrote; null when not kept. */
  diff: string | null;
  /** Why `diff` is null, when it was left out. */
  diffOmitted?: string;
}

export interface RunResult {
  runId: string;
  task: string;
  /** The round this result describes: the run's latest (1 for a run never refined; `rounds` of run.json keeps the earlier ones). */
  round: number;
  status: RunStatus;
  /** `running` in its record, but no process runs it: it died, and can be resumed. */
  interrupted: boolean;
  /** As `et run` exits: 0 succeeded, 1 failed, 2 nothing to gate, 3 gates still failing, 4 budget, 130 cancelled; null while running. */
  exitCode: number | null;
  error: string | null;
  /** Absolute. */
  outputDir: string;
  /** The run folder: run.json, diffs.json, _synthesis.md, the gates' logs (an earlier round's logs and diffs in round-N/). */
  folder: string;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  /** The refinery's (or the mayor's) summary of what was built; null when none was written. */
  summary: string | null;
  files: ResultFile[];
  /** Staged for review instead of written (a client's `writeMode: "review"`). */
  proposed: ProposedFile[];
  refused: { path: string; reason: string; subtask: number }[];
  findings: RunFinding[];
  subtasks: { index: number; text: string; status: SubtaskStatus; model: string | null; error: string | null }[];
  /** With `iterate`: each gate's rounds, logs as absolute paths; null without. */
  gates: BuildRecord | null;
  spend: Spend;
  budgetUsd: number | null;
  warnings: string[];
}

function withAbsoluteLogs(build: BuildRecord, folder: string): BuildRecord {
  return {
    ...build,
    ...(build.setup ? { setup: build.setup.map((step) => ({ ...step, log: path.join(folder, step.log) })) } : {}),
    attempts: build.attempts.map((attempt) => ({ ...attempt, log: path.join(folder, attempt.log) })),
  };
}

/** The result of a run from its record, its summary's text and the diffs it kept. Pure. */
export function runResult(record: RunRecord, summary: string | undefined, diffs: readonly KeptDiff[], interrupted = false): RunResult {
  const kept = new Map(diffs.map((diff) => [diff.path, diff]));
  const changes = new Map((record.changes ?? []).map((change) => [change.path, change]));
  const endedAt = record.endedAt ?? null;
  return {
    runId: record.id,
    task: record.task,
    round: currentRound(record),
    status: record.status,
    interrupted,
    exitCode: record.exitCode,
    error: record.error ?? null,
    outputDir: record.outputDir,
    folder: record.folder,
    startedAt: record.startedAt,
    endedAt,
    durationMs: endedAt === null ? null : Date.parse(endedAt) - Date.parse(record.startedAt),
    summary: summary?.trim() || null,
    files: record.files.written.map((file): ResultFile => {
      const diff = kept.get(file.path);
      const change = changes.get(file.path);
      return {
        ...file,
        created: diff?.created ?? change?.created ?? null,
        added: change?.added ?? null,
        removed: change?.removed ?? null,
        diff: diff?.diff ?? null,
        ...(diff?.omitted ? { diffOmitted: diff.omitted } : diff ? {} : { diffOmitted: 'this run kept no diff of it' }),
      };
    }),
    proposed: record.files.proposed ?? [],
    refused: record.files.refused,
    findings: record.findings,
    subtasks: record.subtasks.map((subtask) => ({ index: subtask.index, text: subtask.text, status: subtask.status, model: subtask.model ?? null, error: subtask.error ?? null })),
    gates: record.build ? withAbsoluteLogs(record.build, record.folder) : null,
    spend: runSpend(record),
    budgetUsd: record.flags.budgetUsd,
    warnings: record.warnings,
  };
}

/** A run's result, read from its folder. */
export async function loadRunResult(folder: string): Promise<RunResult> {
  const record = await readRecordFile(folder);
  const summary = record.synthesis === undefined ? undefined : await readFile(path.join(folder, record.synthesis), 'utf8').catch(() => undefined);
  return runResult(record, summary, await readKeptDiffs(folder), isInterrupted(record));
}
