// VS Code's language models, reached through the client that runs this server: each chat request is an
// `electrictown/lm/chat` request to it, the answer's parts come back as `electrictown/lm/chatChunk`
// notifications, and an aborted call cancels the request (`$/cancelRequest`).
import { CancellationTokenSource, ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import * as z from 'zod';
import { LanguageModelChatRequest, type LanguageModelChatChunkParams, type LanguageModelChatResult } from '../protocol';
import type { ClientChatRequest, ClientLanguageModels } from '../providers/vscode/client-language-models';

const count = () => z.number().int().min(0).optional();
/** Built on first use, like request-params.ts's schemas: most servers never run an editor model. */
let resultSchema: z.ZodType<LanguageModelChatResult> | undefined;
const chatResult = () =>
  (resultSchema ??= z.discriminatedUnion('outcome', [
    z.object({ outcome: z.literal('ok'), text: z.string(), answeredBy: z.string(), inputTokens: count(), outputTokens: count() }),
    z.object({ outcome: z.literal('error'), code: z.enum(['unsupported', 'not-found', 'no-permissions', 'blocked', 'failed']), message: z.string().transform((text) => text.slice(0, 500)) }),
  ]));

/** The client's answer, checked: a malformed one is a failure, never taken for an answer. */
export function readChatResult(answer: unknown): LanguageModelChatResult {
  const parsed = chatResult().safeParse(answer);
  return parsed.success ? parsed.data : { outcome: 'error', code: 'failed', message: 'the editor answered electrictown/lm/chat with something that is not a result' };
}

function rejected(error: unknown): LanguageModelChatResult {
  // A client that declared the capability but has no handler: as good as an editor without the API.
  if (error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound) return { outcome: 'error', code: 'unsupported', message: 'the editor does not answer electrictown/lm/chat' };
  return { outcome: 'error', code: 'failed', message: `the editor could not run the request: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500) };
}

export class EditorLanguageModels implements ClientLanguageModels {
  private readonly listeners = new Map<string, (text: string) => void>();
  private sequence = 0;

  constructor(private readonly connection: Pick<Connection, 'sendRequest'>) {}

  /** A part of an answer, to the request it belongs to; one for a request that ended is dropped. */
  chunk(params: LanguageModelChatChunkParams): void {
    this.listeners.get(params.requestId)?.(params.text);
  }

  async chat(request: ClientChatRequest, onText: (text: string) => void, signal: AbortSignal): Promise<LanguageModelChatResult> {
    signal.throwIfAborted();
    const requestId = `lm-${++this.sequence}`;
    const cancel = new CancellationTokenSource();
    let abort: () => void = () => {};
    // Cancelling sends $/cancelRequest; the client may still answer late, so the abort itself ends the wait.
    const aborted = new Promise<never>((_resolve, reject) => {
      abort = () => {
        cancel.cancel();
        reject(signal.reason);
      };
      signal.addEventListener('abort', abort, { once: true });
    });
    this.listeners.set(requestId, onText);
    try {
      const answer = this.connection.sendRequest(LanguageModelChatRequest.type, { requestId, ...request }, cancel.token).then(readChatResult, rejected);
      return await Promise.race([answer, aborted]);
    } finally {
      signal.removeEventListener('abort', abort);
      this.listeners.delete(requestId);
      cancel.dispose();
    }
  }
}
