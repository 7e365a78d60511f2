// A question the server asks its client about a run (raise the budget? approve the plan?): the client's
// answer, or undefined when it fails, or does not come within the time given — then the request is
// cancelled, so a client that went away cannot hold a run for ever.
import { CancellationTokenSource, type Connection, type RequestParam, type RequestType } from 'vscode-languageserver/node';

export async function askClient<P, R>(connection: Pick<Connection, 'sendRequest'>, type: RequestType<P, R, void>, params: RequestParam<P>, timeoutMs: number): Promise<R | undefined> {
  const cancel = new CancellationTokenSource();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      cancel.cancel();
      resolve(undefined);
    }, timeoutMs);
  });
  try {
    return await Promise.race([connection.sendRequest(type, params, cancel.token).then((answer) => answer as R, () => undefined), timedOut]);
  } finally {
    clearTimeout(timer);
    cancel.dispose();
  }
}
