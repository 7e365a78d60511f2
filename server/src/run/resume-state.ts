// Taking a run up again from its folder: its record made this process's, with every subtask that did
// not finish (or whose answer was not kept) waiting to run again; and, for each that did, the outcome
// its kept answer gives, so it is neither asked for nor paid for again; and those answers applied to the
// working copy again. Pure but for that.
import type { ElectrictownConfig } from '../config/schema';
import type { RunRecord, SubtaskRecord } from '../protocol';
import { chainForModel, type ChainEntry } from '../router/chain';
import { parseAnswer } from '../edits/parse-answer';
import type { WorkingCopy } from '../edits/working-copy';
import { asksForRewrite, type WorkerOutcome } from './subtask-worker';
import { currentRound, currentSubtasks, roundOf } from './follow-up/round-record';

/** `by.flags`: the settings it goes on with (a new budget), when given. */
export function continuedRecord(record: RunRecord, answers: ReadonlyMap<number, string>, by: { config: RunRecord['config']; pid: number; now: Date; flags?: RunRecord['flags'] }): RunRecord {
  // Only the current round is done again: earlier rounds ended, whatever their subtasks' outcomes.
  const round = currentRound(record);
  const subtasks = record.subtasks.map((subtask): SubtaskRecord => ((subtask.status === 'succeeded' && answers.has(subtask.index)) || roundOf(subtask) !== round ? subtask : { ...subtask, status: 'pending', error: undefined, endedAt: undefined, output: undefined }));
  return { ...record, ...(by.flags ? { flags: by.flags } : {}), subtasks, status: 'running', exitCode: null, error: undefined, endedAt: undefined, pid: by.pid, config: by.config, resumedAt: [...(record.resumedAt ?? []), by.now.toISOString()] };
}

/** The outcome of a subtask finished before the resume, from its kept answer; undefined when it must run. */
export function keptOutcome(subtask: SubtaskRecord, answers: ReadonlyMap<number, string>, config: ElectrictownConfig): WorkerOutcome | undefined {
  const answer = answers.get(subtask.index);
  if (subtask.status !== 'succeeded' || answer === undefined) return undefined;
  let author: ChainEntry | undefined;
  try {
    author = subtask.model === undefined ? undefined : chainForModel(config, subtask.model).entries[0];
  } catch {
    // A model the config no longer has: its fixes go to the subtask's chain as it is now.
    author = undefined;
  }
  // Its files are what applying the answer gives: the engine replays it on the working copy.
  return { index: subtask.index, status: 'succeeded', answer, files: [], author };
}

export interface ReplayContext {
  record: RunRecord;
  answers: ReadonlyMap<number, string>;
  config: ElectrictownConfig;
  copy: WorkingCopy;
  /** A subtask's text, for the rewrite rule. */
  subtaskText(index: number): string | undefined;
  warn(message: string): void;
}

/**
 * A resumed run's finished subtasks, their answers applied again to the working copy in the order they
 * finished — unless the run had written its files already, which are then on disk. One that no longer
 * applies is made pending again, to run again.
 */
export async function replayKeptAnswers(context: ReplayContext): Promise<Map<number, WorkerOutcome>> {
  const kept = new Map<number, WorkerOutcome>();
  const wrote = context.record.phases.some((phase) => phase.name === 'write' && phase.endedAt !== undefined);
  const finished = currentSubtasks(context.record).filter((subtask) => subtask.status === 'succeeded').sort((a, b) => Date.parse(a.endedAt ?? '') - Date.parse(b.endedAt ?? ''));
  for (const record of finished) {
    const outcome = keptOutcome(record, context.answers, context.config);
    if (!outcome || outcome.answer === undefined) continue;
    if (!wrote) {
      const text = context.subtaskText(record.index);
      const applied = await context.copy.commit(parseAnswer(outcome.answer), record.index, { rewriteAllowed: text ? asksForRewrite(text) : false });
      if (!applied.ok) {
        context.warn(`subtask ${record.index}'s kept answer no longer applies (${applied.problems.map((problem) => problem.message.split('\n')[0]).join('; ')}); it runs again`);
        Object.assign(record, { status: 'pending', endedAt: undefined, error: undefined });
        continue;
      }
      outcome.files = [...applied.files].map(([file, { content }]) => ({ path: file, content, line: 0 }));
    }
    kept.set(record.index, outcome);
  }
  return kept;
}
