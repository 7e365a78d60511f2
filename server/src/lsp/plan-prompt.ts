// A run with `approvePlan` asks the client what to do with its plan (the editor shows it with Approve,
// Edit… and Cancel). An error, a malformed answer, or none within an hour cancels: a plan nobody
// approved is not paid for.
import type { Connection } from 'vscode-languageserver/node';
import { ApprovePlanRequest } from '../protocol';
import type { PlanApprovalRequest, PlanDecision } from '../run/plan-approval';
import { askClient } from './ask-client';

export const PLAN_ANSWER_TIMEOUT_MS = 60 * 60_000;

export async function askClientToApprove(connection: Pick<Connection, 'sendRequest'>, request: PlanApprovalRequest, timeoutMs = PLAN_ANSWER_TIMEOUT_MS): Promise<PlanDecision> {
  const answer = await askClient(connection, ApprovePlanRequest.type, request, timeoutMs);
  if (answer?.decision === 'approve') return { kind: 'approve' };
  if (answer?.decision === 'edit' && typeof answer.text === 'string' && answer.text.trim() !== '') return { kind: 'edit', text: answer.text };
  return { kind: 'cancel' };
}
