// One error taxonomy for every provider, and what the router does about each kind
// (../shared/wire-formats.md §6). Classification lives on the error object, so any layer can act on it.
import type { ProviderType } from '../config/schema';
import type { Usage } from './language-model';

export type ErrorClass =
  | 'rate_limit' // retry after the provider's delay
  | 'quota_exhausted' // billing, spend caps, daily quotas, a model that will not fit: not worth retrying this model
  | 'overloaded' // capacity shared by all users: a short retry, then fall back early
  | 'server' // 5xx and in-stream server errors
  | 'timeout' // connect, time to first byte, or an idle gap inside a stream
  | 'network' // refused, reset, unreachable
  | 'context_overflow' // the request does not fit the model's window
  | 'truncated_stream' // ended without its terminal event
  | 'auth' // bad, missing or unauthorised key
  | 'bad_request' // the request itself is wrong
  | 'content_filter' // a policy block on input or output
  | 'not_found'; // the model is not available to this key (a configuration problem)

/** What to do next: the same model again, the next model in the chain, or stop. */
export type ErrorAction = 'retry' | 'fallback' | 'fail';

export interface Classification {
  errorClass: ErrorClass;
  action: ErrorAction;
  /** The provider's own delay before a retry, when it gave one. */
  retryAfterMs?: number;
  /** The provider's message, secrets removed. */
  message: string;
}

const MARKER = Symbol.for('electrictown.ProviderError');

export class ProviderError extends Error {
  readonly [MARKER] = true;

  constructor(
    readonly provider: string,
    readonly providerType: ProviderType,
    readonly classification: Classification,
    readonly status?: number,
    /** What the failed call consumed, when the provider said (Ollama's cut prompt was still billed). */
    readonly usage?: Usage,
  ) {
    super(`${provider}: ${classification.message}${status === undefined ? '' : ` (HTTP ${status})`}`);
    this.name = 'ProviderError';
  }

  // Private fields, so that an error serialised or inspected anywhere never carries what was sent or
  // received raw (a prompt with a pasted key, a body echoing one): only the failed-request dump reads them.
  #request: { url: string; body: unknown } | undefined;
  #responseBody: string | undefined;

  /** The request this error answered, as sent (headers are never kept): for the failed-request dump. */
  get request(): { url: string; body: unknown } | undefined {
    return this.#request;
  }

  set request(request: { url: string; body: unknown } | undefined) {
    this.#request = request;
  }

  /** The body that came back with the error, as received (an error status's body, or the in-stream error). */
  get responseBody(): string | undefined {
    return this.#responseBody;
  }

  set responseBody(body: string | undefined) {
    this.#responseBody = body;
  }

  get errorClass(): ErrorClass {
    return this.classification.errorClass;
  }

  /** Works across bundles, where `instanceof` does not. */
  static isInstance(value: unknown): value is ProviderError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }
}
