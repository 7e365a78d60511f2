// MCP progress notifications for a tool call whose client gave a progress token: one per change of
// what is said, `progress` counting up (MCP wants it to grow) and the news in `message`. Without a
// token nothing is sent.
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Says `message` to the client, unless it said so last time or gave no token. Resolves once it is
 * sent: a tool awaits its last one, so that it goes out before the answer.
 */
export function progressReporter(extra: ToolExtra): (message: string) => Promise<void> {
  const token = extra._meta?.progressToken;
  if (token === undefined) return async () => undefined;
  let progress = 0;
  let last: string | undefined;
  return async (message) => {
    if (message === last || extra.signal.aborted) return;
    last = message;
    progress++;
    // A client that went away cannot be told; the run goes on regardless.
    await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress, message } }).catch(() => undefined);
  };
}
