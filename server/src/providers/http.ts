// HTTP for every adapter, over undici: one request function with the three timeouts (connect, time to
// first byte, idle gap inside a body) and transport failures turned into classified ProviderErrors.
// Cancellation (the caller's AbortSignal) is passed through untouched: it is not a provider failure.
import { Agent, errors, request } from 'undici';
import type { AuthType, ProviderType } from '../config/schema';
import { classifyHttpError, type HttpFailure } from './classify-http-error';
import type { Usage } from './language-model';
import { ProviderError, type Classification } from './provider-error';
import { redactSecrets, urlCredentials } from './redact';
import type { Headers } from './retry-delay';

export interface Timeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, firstByteMs: 120_000, idleMs: 60_000 };

/** What every adapter is built from: a provider entry of the config, with `$VAR`s resolved. */
export interface ProviderSettings {
  /** The config's provider key. */
  provider: string;
  baseUrl: string;
  apiKey: string | undefined;
  authType: AuthType | undefined;
  headers: Readonly<Record<string, string>>;
  timeouts: Timeouts;
}

export interface Endpoint {
  /** The config's provider key, for messages. */
  provider: string;
  providerType: ProviderType;
  /** Values to keep out of every message. */
  secrets: readonly string[];
  timeouts: Timeouts;
}

/** The parts of undici's body that the adapters use. */
export interface ResponseBody extends AsyncIterable<Uint8Array> {
  text(): Promise<string>;
  /** An iterator that, with `destroyOnReturn: false`, leaves the body open when the reader stops early. */
  iterator(options: { destroyOnReturn: boolean }): AsyncIterableIterator<Uint8Array>;
  /** Reads and discards the rest, up to `limit` bytes or until `signal`; past either the connection is closed. */
  dump(options: { limit: number; signal: AbortSignal }): Promise<unknown>;
  destroy(error?: Error): unknown;
}

export interface HttpResponse {
  status: number;
  /** As undici gives them (lower-case names); flattened only when an error needs reading. */
  headers: Record<string, string | string[] | undefined>;
  body: ResponseBody;
}

/** The endpoint of an adapter: its key, extra header values and base URL credentials are the secrets to keep out of messages. */
export function endpointFor(provider: string, providerType: ProviderType, apiKey: string | undefined, headers: Readonly<Record<string, string>>, timeouts: Timeouts, baseUrl?: string): Endpoint {
  const secrets = [apiKey, ...Object.values(headers), ...urlCredentials(baseUrl)].filter((value): value is string => !!value);
  return { provider, providerType, secrets, timeouts };
}

/** A failure the adapter found itself: a malformed answer, a stream cut short. */
export function endpointError(endpoint: Endpoint, classification: Classification, status?: number, usage?: Usage): ProviderError {
  return new ProviderError(endpoint.provider, endpoint.providerType, classification, status, usage);
}

/** A malformed (retryable) answer from the server. */
export function malformedAnswer(endpoint: Endpoint, what: string, status: number): ProviderError {
  return endpointError(endpoint, { errorClass: 'server', action: 'retry', message: `malformed response: ${what}` }, status);
}

/**
 * A provider's error answer, classified. An error object that arrived inside a 200 stream is classified
 * as the status its type implies (`failure.status`) but reported with the status that came (`reportedStatus`).
 */
export function answerError(endpoint: Endpoint, failure: HttpFailure, reportedStatus: number = failure.status): ProviderError {
  const error = endpointError(endpoint, classifyHttpError(endpoint.providerType, failure, { now: Date.now(), secrets: endpoint.secrets }), reportedStatus);
  error.responseBody = failure.body;
  return error;
}

/** Marks a call's ProviderError with the request it answered (the first mark stands); other errors pass as they are. */
export function withRequest(error: unknown, url: string, body: unknown): unknown {
  if (ProviderError.isInstance(error) && error.request === undefined) error.request = { url, body };
  return error;
}

/** Reads a non-200 response to its end and classifies it. */
export async function responseError(endpoint: Endpoint, response: HttpResponse, signal: AbortSignal): Promise<ProviderError> {
  const body = await readText(endpoint, response, signal);
  return answerError(endpoint, { status: response.status, headers: flattenHeaders(response.headers), body });
}

/** A 200 body that should be JSON; anything else is a malformed (retryable) server answer. */
export function parseJsonBody(endpoint: Endpoint, text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw malformedAnswer(endpoint, 'the body is not JSON', status);
  }
}

const agents = new Map<number, Agent>();

function agentFor(connectMs: number): Agent {
  let agent = agents.get(connectMs);
  if (!agent) {
    agent = new Agent({ connect: { timeout: connectMs } });
    agents.set(connectMs, agent);
  }
  return agent;
}

export const JSON_CONTENT = { 'content-type': 'application/json' } as const;

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Headers {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]));
}

/** A transport failure → its class; Ollama not listening means "not running", so fall back at once. */
export function classifyTransportError(providerType: ProviderType, error: unknown, secrets: readonly string[]): Classification {
  const code = (error as { code?: string } | undefined)?.code;
  const detail = redactSecrets(error instanceof Error ? error.message : String(error), secrets);
  if (error instanceof errors.ConnectTimeoutError) return { errorClass: 'timeout', action: 'retry', message: `connect timed out: ${detail}` };
  if (error instanceof errors.HeadersTimeoutError) return { errorClass: 'timeout', action: 'retry', message: 'no response before the first-byte timeout' };
  if (error instanceof errors.BodyTimeoutError) return { errorClass: 'timeout', action: 'retry', message: 'the response stalled longer than the idle timeout' };
  if (code === 'ECONNREFUSED') {
    return { errorClass: 'network', action: providerType === 'ollama' ? 'fallback' : 'retry', message: providerType === 'ollama' ? 'connection refused: is Ollama running?' : `connection refused: ${detail}` };
  }
  return { errorClass: 'network', action: 'retry', message: `${code ?? 'network error'}: ${detail}` };
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error as { name?: string } | undefined)?.name === 'AbortError';
}

/** Sends a request; `headers` must include `content-type` when there is a body (adapters build them once). */
export async function send(endpoint: Endpoint, method: 'GET' | 'POST', url: string, headers: Record<string, string>, body: unknown, signal: AbortSignal): Promise<HttpResponse> {
  // The first-byte timeout is our own timer: undici's ticks every half second for timeouts of a second
  // or more, so a hung model would hold a ready fallback back up to 500 ms longer than configured.
  const firstByte = new AbortController();
  const timer = setTimeout(() => firstByte.abort(new errors.HeadersTimeoutError()), endpoint.timeouts.firstByteMs);
  try {
    const response = await request(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any([signal, firstByte.signal]),
      dispatcher: agentFor(endpoint.timeouts.connectMs),
      // A backstop only: the timer above ends the wait first.
      headersTimeout: endpoint.timeouts.firstByteMs + 1000,
      bodyTimeout: endpoint.timeouts.idleMs,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  } catch (error) {
    if (firstByte.signal.aborted && !signal.aborted) throw new ProviderError(endpoint.provider, endpoint.providerType, classifyTransportError(endpoint.providerType, firstByte.signal.reason, endpoint.secrets));
    if (isAbort(error, signal)) throw error;
    throw new ProviderError(endpoint.provider, endpoint.providerType, classifyTransportError(endpoint.providerType, error, endpoint.secrets));
  } finally {
    clearTimeout(timer);
  }
}

/** A whole (not streamed) answer body larger than this is not read: no provider's answer is. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Reads a body to its end, within MAX_BODY_BYTES, turning a stall or reset into a classified error. */
export async function readText(endpoint: Endpoint, response: HttpResponse, signal: AbortSignal): Promise<string> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for await (const chunk of response.body) {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        response.body.destroy();
        throw endpointError(endpoint, { errorClass: 'server', action: 'fallback', message: `malformed response: the body passed ${MAX_BODY_BYTES / 1024 / 1024} MB and was not read further` }, response.status);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } catch (error) {
    if (ProviderError.isInstance(error) || isAbort(error, signal)) throw error;
    throw new ProviderError(endpoint.provider, endpoint.providerType, classifyTransportError(endpoint.providerType, error, endpoint.secrets), response.status);
  }
}

/**
 * How long and how much a stream's rest is read after its final event. A body left unread makes undici
 * close the connection, and the next call opens a new one (a TCP and TLS handshake, often 100 ms or
 * more to a cloud API); past these bounds waiting would cost more than that, so the connection goes.
 */
export const DRAIN_LIMITS = { ms: 250, bytes: 64 * 1024 };

/**
 * Iterates a streamed body, with the same error mapping as `readText`. When the reader stops early (its
 * final event came before the body's end), the rest is read and dropped, within DRAIN_LIMITS, so that
 * the connection can be reused.
 */
export async function* streamBody(endpoint: Endpoint, response: HttpResponse, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  let ended = false;
  try {
    for await (const chunk of response.body.iterator({ destroyOnReturn: false })) yield chunk;
    ended = true;
  } catch (error) {
    ended = true;
    if (isAbort(error, signal)) throw error;
    throw new ProviderError(endpoint.provider, endpoint.providerType, classifyTransportError(endpoint.providerType, error, endpoint.secrets), response.status);
  } finally {
    if (!ended) await drain(response.body, signal);
  }
}

/** Reads a body's rest within the limits; a cancelled call closes the connection at once. */
async function drain(body: ResponseBody, signal: AbortSignal): Promise<void> {
  if (signal.aborted) {
    body.destroy();
    return;
  }
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(DRAIN_LIMITS.ms)]);
  // A body cut off here is no failure of the call: its answer is already complete.
  await body.dump({ limit: DRAIN_LIMITS.bytes, signal: deadline }).catch(() => undefined);
}
