// A run with `approvePlan` asks the client what to do with its plan (the editor shows it with Approve,
// Edit… and Cancel). An error, a malformed answer, or none within an hour cancels: a plan nobody
// approved is not paid for.
import { CancellationTokenSource, type Connection } from 'vscode-languageserver/node';
import { ApprovePlanRequest } from '../protocol';
import type { PlanApprovalRequest, PlanDecision } from '../run/plan-approval';

export const PLAN_ANSWER_TIMEOUT_MS = 60 * 60_000;

export async function askClientToApprove(connection: Pick<Connection, 'sendRequest'>, request: PlanApprovalRequest, timeoutMs = PLAN_ANSWER_TIMEOUT_MS): Promise<PlanDecision> {
  const cancel = new CancellationTokenSource();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      cancel.cancel();
      resolve(undefined);
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([connection.sendRequest(ApprovePlanRequest.type, request, cancel.token).catch(() => undefined), timedOut]);
    if (answer?.decision === 'approve') return { kind: 'approve' };
    if (answer?.decision === 'edit' && typeof answer.text === 'string' && answer.text.trim() !== '') return { kind: 'edit', text: answer.text };
    return { kind: 'cancel' };
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}
