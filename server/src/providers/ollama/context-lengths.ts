// The num_ctx an Ollama model gets when its alias sets no `context_window`: the model's trained
// context length, asked of the server once per model per process (`POST /api/show`) and kept.
import { parseJsonBody, readText, responseError, send, type Endpoint } from '../http';
import { ProviderError } from '../provider-error';
import { contextLengthFromShow } from './ollama-api';

/**
 * When /api/show cannot say (an old server, a proxy without it, a model it does not know): Ollama's
 * own default window in 2025 releases. Sending it keeps the window known, so a prompt cut to fit is
 * still recognised; an alias's `context_window` sets a bigger one.
 */
export const FALLBACK_NUM_CTX = 4096;

export interface ShowRequest {
  endpoint: Endpoint;
  /** The host root, as the adapter's base URL. */
  baseUrl: string;
  headers: Record<string, string>;
  modelId: string;
  signal: AbortSignal;
}

/** Asks the server; a failure is FALLBACK_NUM_CTX, and says whether it is worth asking again later. */
async function askServer(request: ShowRequest): Promise<{ numCtx: number; keep: boolean }> {
  const { endpoint, signal } = request;
  try {
    const response = await send(endpoint, 'POST', `${request.baseUrl}/api/show`, request.headers, { model: request.modelId }, signal);
    if (response.status !== 200) throw await responseError(endpoint, response, signal);
    const length = contextLengthFromShow(parseJsonBody(endpoint, await readText(endpoint, response, signal), response.status));
    return { numCtx: length ?? FALLBACK_NUM_CTX, keep: true };
  } catch (error) {
    if (!ProviderError.isInstance(error)) throw error;
    // A timeout or a 5xx may pass: ask again next call. A 404 or a malformed answer will not.
    return { numCtx: FALLBACK_NUM_CTX, keep: error.classification.action !== 'retry' };
  }
}

export class ContextLengths {
  private readonly known = new Map<string, Promise<{ numCtx: number; keep: boolean }>>();

  /** The model's context length; parallel first calls share one request. Cancellation propagates. */
  async lookup(request: ShowRequest, retried = false): Promise<number> {
    const key = `${request.baseUrl}\u0000${request.modelId}`;
    let pending = this.known.get(key);
    const shared = pending !== undefined;
    if (!pending) {
      pending = askServer(request);
      this.known.set(key, pending);
    }
    try {
      const answer = await pending;
      if (!answer.keep) this.known.delete(key);
      return answer.numCtx;
    } catch (error) {
      if (this.known.get(key) === pending) this.known.delete(key);
      // The shared request was another caller's, cancelled by it: this caller asks for itself.
      if (shared && !retried && !request.signal.aborted) return this.lookup(request, true);
      throw error;
    }
  }
}

/** One per process: every adapter instance for the same server and model shares the answer. */
export const CONTEXT_LENGTHS = new ContextLengths();
