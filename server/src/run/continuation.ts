// An answer that stopped at the model's output limit (finish reason `length`) is not an answer: its
// last file ends mid-line. The model is asked to go on from where it stopped, up to twice, and the
// pieces are joined; an answer still cut off after that fails its subtask rather than land half a
// file. Pure.
import type { ChatMessage } from '../providers/language-model';

export const MAX_CONTINUATIONS = 2;

export const CONTINUE_REQUEST = 'Your answer was cut off at the output limit. Continue exactly where it stopped, from the next character: do not repeat anything, add no preamble, and close every block you open.';

/** The conversation that asks for the rest: what was said so far, the partial answer, and the request. */
export function continuationMessages(conversation: readonly ChatMessage[], partial: string): ChatMessage[] {
  return [...conversation, { role: 'assistant', content: partial }, { role: 'user', content: CONTINUE_REQUEST }];
}

/** The shortest repeat taken for a real one: shorter overlaps (a `}`, a newline) happen by chance. */
const MIN_OVERLAP = 16;
const MAX_OVERLAP = 2000;

/**
 * The partial answer and its continuation as one text. Models either go on mid-line, start the cut
 * line again, or repeat a little of what they said: the repeat is dropped once.
 */
export function joinContinuation(partial: string, next: string): string {
  const cutLine = partial.slice(partial.lastIndexOf('\n') + 1);
  if (cutLine.trim() !== '' && next.startsWith(cutLine)) return partial.slice(0, partial.length - cutLine.length) + next;
  for (let length = Math.min(MAX_OVERLAP, partial.length, next.length); length >= MIN_OVERLAP; length--) {
    if (partial.endsWith(next.slice(0, length))) return partial + next.slice(length);
  }
  return partial + next;
}
