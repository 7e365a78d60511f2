// An interrupted (or failed) follow-up round taken up again (`et run --resume ID`): like the round as it
// started, its base is the proposals of the round before that are still pending, and its subtasks that
// continue an earlier worker go on from that worker's conversation — not from scratch.
import type { RunRecord } from '../../protocol';
import type { ChatMessage } from '../../providers/language-model';
import type { RunFolder } from '../run-folder';
import { FollowUpRound } from './follow-up-round';
import { pendingProposals } from './pending-proposals';

/** The round's hook for the resumed run; undefined for a run never refined (round 1 has no earlier work). */
export async function resumedRound(record: RunRecord, folder: RunFolder, answers: ReadonlyMap<number, string>): Promise<FollowUpRound | undefined> {
  if (record.refinement === undefined) return undefined;
  const ended = record.rounds?.at(-1);
  const pending = await pendingProposals(ended?.files.proposed ?? [], folder.directory).catch(() => []);
  // Its plan is made: the mayor is not asked again, so the earlier summary is not needed.
  const round = new FollowUpRound({ refinement: record.refinement, summary: undefined, answers, prompts: (await folder.prompts()) as ReadonlyMap<number, readonly ChatMessage[]>, pending });
  round.resume(record);
  return round;
}
