// The plan shown in a terminal for approval (`et run --approve-plan`), and how the answer is read:
// Enter or `y` approves, `e` edits (the plan typed again, one subtask per line, ended by an empty
// line), `c`/`n` or the end of input cancels. Pure.
import type { PlanApprovalRequest } from '../run/plan-approval';

export function planQuestionText(request: PlanApprovalRequest): string {
  const cost = request.estimateUsd === null ? 'its cost cannot be estimated (a model has no price)' : `it may cost up to $${request.estimateUsd.toFixed(2)} (every worker and review writing its whole output cap)`;
  const round = request.round === undefined ? '' : ` of round ${request.round} (${request.refinement ?? ''})`;
  return `\nThe plan${round} (${request.subtasks.length} subtask${request.subtasks.length === 1 ? '' : 's'}; ${cost}):\n${request.text}\nApprove (Enter), edit (e) or cancel (c)? `;
}

export type PlanAnswer = 'approve' | 'edit' | 'cancel' | { again: string };

export function readPlanAnswer(answer: string | undefined): PlanAnswer {
  if (answer === undefined) return 'cancel';
  const text = answer.trim().toLowerCase();
  if (text === '' || text === 'y' || text === 'yes' || text === 'a' || text === 'approve') return 'approve';
  if (text === 'e' || text === 'edit') return 'edit';
  if (text === 'c' || text === 'n' || text === 'no' || text === 'cancel' || text === 'q') return 'cancel';
  return { again: `"${answer.trim()}": answer Enter to approve, e to edit, or c to cancel` };
}
