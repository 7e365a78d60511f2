// A run's rounds: a refinement of a finished run (`et run --resume ID "refinement"`) is a new round of
// the same run. The round that ended is kept whole in `record.rounds`; the record's top-level phases,
// files, findings, build and synthesis start afresh for the new one, while its subtasks (numbered on
// from the last), totals and budget go on. Which runs may be refined, and the record a round starts
// from. Pure.
import type { RoundRecord, RunRecord, RunStatus, Spend, SubtaskRecord } from '../../protocol';
import { emptySpend } from '../run-record';
import { setAsideBuild } from './round-files';

/** The run cannot take a refinement now; the message says why and what to do. */
export class FollowUpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FollowUpError';
  }
}

/** The round the record is in: 1 for a run never refined. */
export function currentRound(record: Pick<RunRecord, 'rounds'>): number {
  return (record.rounds?.length ?? 0) + 1;
}

/** For the run's start event: the round and its refinement, in a follow-up round; nothing in round 1. */
export function roundOfRecord(record: Pick<RunRecord, 'rounds' | 'refinement'>): { round?: number; refinement?: string } {
  return record.refinement === undefined ? {} : { round: currentRound(record), refinement: record.refinement };
}

export const roundOf = (subtask: Pick<SubtaskRecord, 'round'>): number => subtask.round ?? 1;

/** The subtasks of the record's current round. */
export function currentSubtasks(record: Pick<RunRecord, 'rounds' | 'subtasks'>): SubtaskRecord[] {
  const round = currentRound(record);
  return record.subtasks.filter((subtask) => roundOf(subtask) === round);
}

/** Statuses whose files are where the run left them: on disk, or proposed for review. */
const REFINABLE: readonly RunStatus[] = ['succeeded', 'failed', 'budget_exceeded'];

/**
 * Why the run cannot be refined, or undefined when it can. A run still running is refused; so is one
 * that was interrupted or cancelled: its work was never written (a cancelled run writes nothing, a killed
 * one stopped before its write), so a refinement would plan against files that are not there. Resuming
 * it first finishes the round, whose files a refinement then builds on.
 */
export function refusalToRefine(record: Pick<RunRecord, 'id' | 'status' | 'pid'>, alive: (pid: number) => boolean): string | undefined {
  if (record.status === 'running') {
    return alive(record.pid) ? `run ${record.id} is still running (process ${record.pid}); refine it once it has ended` : `run ${record.id} was interrupted; resume it first (et run --resume ${record.id}), then refine it`;
  }
  if (record.status === 'cancelled') return `run ${record.id} was cancelled before its files were written; resume it first (et run --resume ${record.id}), then refine it`;
  if (!REFINABLE.includes(record.status)) return `run ${record.id} is ${record.status}; it cannot be refined`;
  return undefined;
}

function minus(total: Spend, earlier: readonly Spend[]): Spend {
  const spend = emptySpend();
  spend.usd = total.usd - earlier.reduce((sum, part) => sum + part.usd, 0);
  spend.requests = total.requests - earlier.reduce((sum, part) => sum + part.requests, 0);
  spend.unpricedAttempts = total.unpricedAttempts - earlier.reduce((sum, part) => sum + part.unpricedAttempts, 0);
  spend.estimatedAttempts = total.estimatedAttempts - earlier.reduce((sum, part) => sum + part.estimatedAttempts, 0);
  for (const key of ['input', 'cachedInput', 'output', 'reasoning'] as const) spend.tokens[key] = total.tokens[key] - earlier.reduce((sum, part) => sum + part.tokens[key], 0);
  return spend;
}

/** The round the record holds, as it ended. `synthesis`: where its summary was moved to, if it had one. */
export function endedRound(record: RunRecord, synthesis: string | undefined): RoundRecord {
  const round = currentRound(record);
  const earlier = record.rounds ?? [];
  return {
    round,
    task: round === 1 ? record.task : (record.refinement ?? ''),
    status: record.status,
    exitCode: record.exitCode,
    error: record.error,
    startedAt: round === 1 ? record.startedAt : (record.resumedAt.at(-1) ?? record.startedAt),
    endedAt: record.endedAt,
    subtasks: currentSubtasks(record).map((subtask) => subtask.index),
    phases: record.phases,
    files: record.files,
    ...(record.changes ? { changes: record.changes } : {}),
    findings: record.findings,
    // Its logs are set aside in round-N/ as the next round opens (round-files.ts).
    build: record.build && setAsideBuild(record.build, round),
    synthesis,
    brief: record.brief,
    spend: minus(record.totals, earlier.map((previous) => previous.spend)),
  };
}

export interface NextRound {
  refinement: string;
  pid: number;
  now: Date;
  config: RunRecord['config'];
  flags: RunRecord['flags'];
  /** Where the ended round's summary was moved (`_synthesis.md` is the new round's). */
  synthesis: string | undefined;
}

/** The record a refinement's round starts from: the ended round kept in `rounds`, the rest afresh. */
export function followUpRecord(record: RunRecord, next: NextRound): RunRecord {
  return {
    ...record,
    rounds: [...(record.rounds ?? []), endedRound(record, next.synthesis)],
    refinement: next.refinement,
    flags: next.flags,
    config: next.config,
    status: 'running',
    exitCode: null,
    error: undefined,
    endedAt: undefined,
    pid: next.pid,
    phases: [],
    files: { written: [], refused: [], conflicts: [] },
    changes: undefined,
    findings: [],
    build: undefined,
    synthesis: undefined,
    brief: undefined,
    resumedAt: [...record.resumedAt, next.now.toISOString()],
  };
}

/**
 * The record after a round cancelled at its plan: the run as it ended before it (status, rounds,
 * subtasks, files, proposals), but what the round's planning cost stays counted, and a warning says so.
 */
export function declinedRound(earlier: RunRecord, round: Pick<RunRecord, 'totals' | 'refinement'>): RunRecord {
  const spent = round.totals.usd - earlier.totals.usd;
  const note = `a refinement ("${round.refinement ?? ''}") was planned and cancelled at its plan, before any worker started; the run is as it was${spent > 0 ? ` ($${spent.toFixed(4)} spent on the plan)` : ''}`;
  return { ...structuredClone(earlier), totals: structuredClone(round.totals), warnings: [...earlier.warnings, note] };
}
