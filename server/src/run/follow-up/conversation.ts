// Which worker goes on in a follow-up round, and the conversation it goes on from. A new subtask whose
// files an earlier subtask changed last continues that worker: its earlier prompt (kept in the run
// folder's `prompts/N.json`; rebuilt from its subtask for a run from before those were kept) and its
// final answer, then the refinement and its new subtask as the next user turn, with the files as they
// are now. Every other subtask starts fresh. Pure.
import type { ChatMessage } from '../../providers/language-model';
import type { RunRecord } from '../../protocol';
import type { Subtask } from '../decompose';
import { ANSWER_FORMAT, workerMessages } from '../messages';
import { currentSubtasks } from './round-record';

/** Per file, the earlier subtask that changed it last (and finished): the worker that knows it best. */
export function lastAuthors(record: Pick<RunRecord, 'subtasks' | 'rounds' | 'changes'>): Map<string, number> {
  const finished = new Set(record.subtasks.filter((subtask) => subtask.status === 'succeeded').map((subtask) => subtask.index));
  const authors = new Map<string, number>();
  const rounds = [...(record.rounds ?? []).map((round) => ({ changes: round.changes, subtasks: round.subtasks })), { changes: record.changes, subtasks: currentSubtasks(record).map((subtask) => subtask.index) }];
  for (const round of rounds) {
    if (round.changes) {
      for (const change of round.changes) {
        const last = [...change.subtasks].reverse().find((index) => finished.has(index));
        if (last !== undefined) authors.set(change.path, last);
      }
      continue;
    }
    // A record from before `changes`: the files each subtask's answer named.
    for (const subtask of record.subtasks) if (round.subtasks.includes(subtask.index) && finished.has(subtask.index)) for (const file of subtask.files) authors.set(file, subtask.index);
  }
  return authors;
}

/** The earlier subtask each new one continues: the last author of the first of its files that has one. */
export function continuations(subtasks: readonly Pick<Subtask, 'index' | 'files'>[], authors: ReadonlyMap<string, number>, answered: (index: number) => boolean): Map<number, number> {
  const continued = new Map<number, number>();
  for (const subtask of subtasks) {
    const author = subtask.files.map((file) => authors.get(file)).find((index) => index !== undefined && answered(index));
    if (author !== undefined) continued.set(subtask.index, author);
  }
  return continued;
}

export interface EarlierConversation {
  /** What the worker was sent, as kept; undefined for a run from before prompts were kept. */
  prompt: readonly ChatMessage[] | undefined;
  answer: string;
  /** Its subtask and how many its plan had, to rebuild a prompt that was not kept. */
  subtask: Subtask;
  total: number;
}

export interface NextTurn {
  task: string;
  refinement: string;
  subtask: Subtask;
  /** Its files as they are now and the map around them: prompt sections. */
  material: readonly string[];
  /** The polecat role's system prompt from the config, if any. */
  override: string | undefined;
}

/** The refinement as the next user turn of a worker that did the earlier work. */
export function refinementTurn(turn: Pick<NextTurn, 'refinement' | 'subtask' | 'material'>): ChatMessage {
  const parts = [`The user looked at the result and asks for a refinement:\n${turn.refinement}`, `Your part of it (subtask ${turn.subtask.index}):\n${turn.subtask.text}`, 'Your files may have changed since your last answer (other workers, the gates, the user): the files as they are now are below; base your edits on them, not on your last answer.', ...turn.material, `Answer with your changes. ${ANSWER_FORMAT}`];
  return { role: 'user', content: parts.join('\n\n') };
}

/** The continued conversation: the earlier prompt and answer, then the refinement. */
export function continuedConversation(earlier: EarlierConversation, turn: NextTurn): ChatMessage[] {
  const prompt = earlier.prompt ?? workerMessages({ task: turn.task, subtask: earlier.subtask, total: earlier.total, brief: undefined, dependencies: [] }, turn.override);
  return [...prompt, { role: 'assistant', content: earlier.answer }, refinementTurn(turn)];
}
