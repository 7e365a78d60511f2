// An HTTP error response → error class, action and delay, per provider, from the status, headers and
// the provider's real error bodies (../shared/wire-formats.md §1.6, §2.6, §3.6, §4.8 and §6). Pure.
import type { ProviderType } from '../config/schema';
import type { Classification, ErrorAction, ErrorClass } from './provider-error';
import { redactSecrets } from './redact';
import { readRetryDelayMs, type Headers } from './retry-delay';

export interface HttpFailure {
  status: number;
  /** Lower-case header names. */
  headers: Headers;
  body: string;
}

export interface ClassifyOptions {
  now: number;
  /** Values that must never appear in the message (the provider's key, header values). */
  secrets: readonly string[];
}

const DEFAULT_ACTIONS: Record<ErrorClass, ErrorAction> = {
  rate_limit: 'retry',
  quota_exhausted: 'fallback',
  overloaded: 'retry',
  server: 'retry',
  timeout: 'retry',
  network: 'retry',
  context_overflow: 'fallback',
  truncated_stream: 'retry',
  auth: 'fail',
  bad_request: 'fail',
  content_filter: 'fallback',
  not_found: 'fallback',
};

/** The class a status means when the body says nothing more specific. */
function classFromStatus(status: number): ErrorClass {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'quota_exhausted';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 409) return 'server';
  if (status === 429) return 'rate_limit';
  if (status === 529) return 'overloaded';
  if (status >= 500) return 'server';
  return 'bad_request';
}

type Field = string | undefined;
type Specific = { errorClass: ErrorClass; action?: ErrorAction } | undefined;

function text(value: unknown): Field {
  return typeof value === 'string' ? value : undefined;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

interface Parsed {
  message: Field;
  specific: Specific;
}

const CONTEXT_OVERFLOW_TEXT = /maximum context length|context length exceeded|exceeds the (available )?context (length|size)|input length exceeds the context length/i;

function openai(status: number, body: unknown): Parsed {
  // vLLM (before it matched OpenAI) puts the error's fields at the top level, marked `object: "error"`.
  const record = body as { error?: Record<string, unknown>; object?: unknown } | undefined;
  const error = record?.error ?? (record?.object === 'error' ? (record as Record<string, unknown>) : undefined);
  const code = text(error?.code);
  const type = text(error?.type);
  const message = text(error?.message);
  if (code === 'context_length_exceeded' || type === 'exceed_context_size_error') return { message, specific: { errorClass: 'context_overflow' } };
  // Compatible servers (vLLM, Ollama's /v1, llama.cpp) send code null: their words say it.
  if (status === 400 && CONTEXT_OVERFLOW_TEXT.test(message ?? '')) return { message, specific: { errorClass: 'context_overflow' } };
  if (code === 'insufficient_quota' || type === 'insufficient_quota') return { message, specific: { errorClass: 'quota_exhausted' } };
  if (code === 'invalid_prompt') return { message, specific: { errorClass: 'content_filter' } };
  if (status === 503 && /overloaded|slow down/i.test(message ?? '')) return { message, specific: { errorClass: 'overloaded' } };
  return { message, specific: undefined };
}

function anthropic(status: number, body: unknown): Parsed {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  const type = text(error?.type);
  const message = text(error?.message);
  const detailCode = text((error?.details as Record<string, unknown> | undefined)?.error_code);
  if (type === 'rate_limit_error' && detailCode === 'enforced_spend_limit_reached') return { message, specific: { errorClass: 'quota_exhausted' } };
  if (type === 'invalid_request_error' && /prompt is too long|exceed context limit/i.test(message ?? '')) return { message, specific: { errorClass: 'context_overflow' } };
  if (type === 'invalid_request_error' && /usage limit|spend limit/i.test(message ?? '')) return { message, specific: { errorClass: 'quota_exhausted' } };
  const byType: Record<string, ErrorClass> = {
    billing_error: 'quota_exhausted',
    overloaded_error: 'overloaded',
    api_error: 'server',
    timeout_error: 'server',
    conflict_error: 'server',
    request_too_large: 'bad_request',
    authentication_error: 'auth',
    permission_error: 'auth',
    not_found_error: 'not_found',
    rate_limit_error: 'rate_limit',
  };
  const errorClass = type !== undefined && Object.hasOwn(byType, type) ? byType[type] : undefined;
  return { message, specific: errorClass ? { errorClass } : status === 529 ? { errorClass: 'overloaded' } : undefined };
}

function gemini(_status: number, body: unknown): Parsed {
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error;
  const state = text(error?.status);
  const message = text(error?.message);
  const details = Array.isArray(error?.details) ? (error.details as Record<string, unknown>[]) : [];
  const detail = (type: string) => details.find((entry) => text(entry?.['@type'])?.endsWith(type));
  const errorInfoReason = text(detail('google.rpc.ErrorInfo')?.reason);
  if (errorInfoReason === 'API_KEY_INVALID' || /API key not valid/i.test(message ?? '')) return { message, specific: { errorClass: 'auth' } };
  if (state === 'RESOURCE_EXHAUSTED') {
    const violations = detail('google.rpc.QuotaFailure')?.violations;
    const daily = Array.isArray(violations) && violations.some((violation) => /PerDay/.test(text(violation?.quotaId) ?? ''));
    return { message, specific: { errorClass: daily ? 'quota_exhausted' : 'rate_limit' } };
  }
  if (state === 'INVALID_ARGUMENT' && /input token count .* exceeds the maximum/i.test(message ?? '')) return { message, specific: { errorClass: 'context_overflow' } };
  const byStatus: Record<string, ErrorClass> = {
    FAILED_PRECONDITION: 'quota_exhausted',
    PERMISSION_DENIED: 'auth',
    UNAUTHENTICATED: 'auth',
    NOT_FOUND: 'not_found',
    INTERNAL: 'server',
    DEADLINE_EXCEEDED: 'server',
    UNAVAILABLE: /overloaded/i.test(message ?? '') ? 'overloaded' : 'server',
    INVALID_ARGUMENT: 'bad_request',
  };
  const errorClass = state !== undefined && Object.hasOwn(byStatus, state) ? byStatus[state] : undefined;
  return { message, specific: errorClass ? { errorClass } : undefined };
}

function ollama(status: number, body: unknown): Parsed {
  let message = text((body as { error?: unknown } | undefined)?.error);
  // Recent servers wrap the inference engine's own JSON error inside the string.
  const inner = message?.startsWith('{') ? text((parseJson(message) as { error?: { message?: unknown } } | undefined)?.error?.message) : undefined;
  message = inner ?? message;
  if (/exceeds the (available )?context (length|size)|input length exceeds the context length/i.test(message ?? '')) return { message, specific: { errorClass: 'context_overflow' } };
  if (status === 500 && /requires more system memory/i.test(message ?? '')) return { message, specific: { errorClass: 'quota_exhausted' } };
  if (status === 503 && /busy/i.test(message ?? '')) return { message, specific: { errorClass: 'overloaded' } };
  return { message, specific: undefined };
}

// `vscode` never speaks HTTP (its failures are classified in vscode/client-language-models.ts): the status alone decides.
const PARSERS: Record<Exclude<ProviderType, 'vscode'>, (status: number, body: unknown) => Parsed> = { openai, anthropic, gemini, ollama, 'openai-compatible': openai };

function describeBody(failure: HttpFailure): string {
  if (/^\s*</.test(failure.body)) return `HTTP ${failure.status} with an HTML error page`;
  const line = failure.body.trim().split('\n')[0] ?? '';
  return line ? line.slice(0, 200) : `HTTP ${failure.status} with an empty body`;
}

export function classifyHttpError(providerType: ProviderType, failure: HttpFailure, options: ClassifyOptions): Classification {
  const body = parseJson(failure.body);
  const parsed: Parsed = providerType === 'vscode' ? { message: undefined, specific: undefined } : PARSERS[providerType](failure.status, body);
  const errorClass = parsed.specific?.errorClass ?? classFromStatus(failure.status);
  let action = parsed.specific?.action ?? DEFAULT_ACTIONS[errorClass];
  // The server's own verdict, when given, overrides the status (never for a bad key).
  const shouldRetry = failure.headers['x-should-retry'];
  if (shouldRetry === 'false' && action === 'retry') action = 'fallback';
  if (shouldRetry === 'true' && errorClass !== 'auth') action = 'retry';
  const retryAfterMs = readRetryDelayMs(failure.headers, body, options.now);
  const message = redactSecrets((parsed.message ?? describeBody(failure)).slice(0, 500), options.secrets);
  return retryAfterMs === undefined ? { errorClass, action, message } : { errorClass, action, retryAfterMs, message };
}
