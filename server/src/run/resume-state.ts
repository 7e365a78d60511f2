// Taking a run up again from its folder: its record made this process's, with every subtask that did
// not finish (or whose answer was not kept) waiting to run again; and, for each that did, the outcome
// its kept answer gives, so it is neither asked for nor paid for again. Pure.
import type { ElectrictownConfig } from '../config/schema';
import type { RunRecord, SubtaskRecord } from '../protocol';
import { chainForModel, type ChainEntry } from '../router/chain';
import type { WorkerOutcome } from './subtask-worker';

/** `by.flags`: the settings it goes on with (a new budget), when given. */
export function continuedRecord(record: RunRecord, answers: ReadonlyMap<number, string>, by: { config: RunRecord['config']; pid: number; now: Date; flags?: RunRecord['flags'] }): RunRecord {
  const subtasks = record.subtasks.map((subtask): SubtaskRecord => (subtask.status === 'succeeded' && answers.has(subtask.index) ? subtask : { ...subtask, status: 'pending', error: undefined, endedAt: undefined, output: undefined }));
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
