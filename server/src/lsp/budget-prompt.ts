// A run that reaches its budget asks the client (the editor shows a notification with Raise/Stop): its
// answer's `raiseToUsd` goes on; an error, a malformed answer, or none within the time limit stops the
// run as before, so a client that went away cannot hold a run for ever.
import { CancellationTokenSource, type Connection } from 'vscode-languageserver/node';
import { BudgetReachedRequest, type BudgetReachedParams } from '../protocol';

export const BUDGET_ANSWER_TIMEOUT_MS = 5 * 60_000;

export async function askClientToRaise(connection: Pick<Connection, 'sendRequest'>, params: BudgetReachedParams, timeoutMs = BUDGET_ANSWER_TIMEOUT_MS): Promise<number | undefined> {
  const cancel = new CancellationTokenSource();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      cancel.cancel();
      resolve(undefined);
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([connection.sendRequest(BudgetReachedRequest.type, params, cancel.token).catch(() => undefined), timedOut]);
    const raised = answer?.raiseToUsd;
    return typeof raised === 'number' && Number.isFinite(raised) && raised > params.limitUsd ? raised : undefined;
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}
