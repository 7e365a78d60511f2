// A run that reaches its budget asks the client (the editor shows a notification with Raise/Stop): its
// answer's `raiseToUsd` goes on; an error, a malformed answer, or none within the time limit stops the
// run as before, so a client that went away cannot hold a run for ever.
import type { Connection } from 'vscode-languageserver/node';
import { BudgetReachedRequest, type BudgetReachedParams } from '../protocol';
import { askClient } from './ask-client';

export const BUDGET_ANSWER_TIMEOUT_MS = 5 * 60_000;

export async function askClientToRaise(connection: Pick<Connection, 'sendRequest'>, params: BudgetReachedParams, timeoutMs = BUDGET_ANSWER_TIMEOUT_MS): Promise<number | undefined> {
  const raised = (await askClient(connection, BudgetReachedRequest.type, params, timeoutMs))?.raiseToUsd;
  return typeof raised === 'number' && Number.isFinite(raised) && raised > params.limitUsd ? raised : undefined;
}
