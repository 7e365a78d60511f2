// The proposals of the round that ended that the user has neither accepted nor discarded, as staged:
// a follow-up round's base, when it starts and when it is resumed after an interruption.
import { readFile } from 'node:fs/promises';
import type { ProposedFile } from '../../protocol';
import { decisionOf, readReviewState } from '../review-state';
import type { PendingProposal } from './follow-up-round';

export async function pendingProposals(proposed: readonly ProposedFile[], directory: string): Promise<PendingProposal[]> {
  if (proposed.length === 0) return [];
  const state = await readReviewState(directory);
  const pending: PendingProposal[] = [];
  for (const file of proposed) {
    if (decisionOf(state, file.path) !== 'pending') continue;
    const content = await readFile(file.staged, 'utf8').catch(() => undefined);
    if (content !== undefined) pending.push({ path: file.path, content, subtask: file.subtask });
  }
  return pending;
}
