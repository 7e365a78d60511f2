// Runs one request through a chain: each model in turn, retried or left according to the retry
// policy, skipped while cooling down or when the prompt cannot fit its window. Every attempt is
// reported as an event with what it consumed, so a run can show which model really answered and the
// ledger can charge the ones that did not. Streamed requests pass text on as it arrives; a stream that
// dies after text went out is abandoned with a `restart` event (discard what came) and the next
// model answers from the start, so no text is duplicated or lost.
import type { ProviderType } from '../config/schema';
import type { CallOptions, ChatMessage, GenerateResult, LanguageModel, Usage } from '../providers/language-model';
import { ProviderError, type ErrorClass } from '../providers/provider-error';
import { estimatePromptTokens, estimateTokens } from '../providers/token-estimate';
import { maxTokensFor, type Chain, type ChainEntry } from './chain';
import type { ConcurrencyLimiter } from './concurrency-limiter';
import type { HealthView } from './endpoint-health';
import { decide, waitForRest, type RetryPolicy } from './retry-policy';

export type AttemptOutcome = 'ok' | 'retry' | 'fallback' | 'fail' | 'skipped' | 'cancelled';

export interface AttemptRecord {
  reference: string;
  alias: string | undefined;
  provider: string;
  providerType: ProviderType;
  modelId: string;
  outcome: AttemptOutcome;
  /** False when the router decided without asking the provider (cooling down, prompt too long). */
  sent: boolean;
  errorClass?: ErrorClass;
  message?: string;
  /** The wait before the next attempt, for `retry`. */
  delayMs?: number;
  /** What the attempt consumed; zero for an error answer, which providers do not bill. */
  usage: Usage;
  /** Some counts are an estimate: the provider never reported them (a stream cut short, VS Code's models). */
  usageEstimated: boolean;
  /** USD for this attempt; null when the model has no known price. */
  usd: number | null;
  durationMs: number;
  /** 1-based: which attempt of its request this was, across the chain. */
  sequence: number;
  /** Set on an answer that stopped at the output cap (finish reason `length`): it is incomplete. */
  cutAtOutputCap?: true;
}

export type RouterEvent =
  | { type: 'attempt-start'; reference: string; provider: string; modelId: string; attempt: number }
  | { type: 'text-delta'; text: string }
  /** The text streamed so far is void: the attempt failed and another answers from the start. */
  | { type: 'restart'; reference: string; discardedChars: number; message: string }
  | ({ type: 'attempt-end' } & AttemptRecord);

export interface RouterDependencies {
  createModel(entry: ChainEntry): LanguageModel;
  /** The provider endpoint an entry reaches: the name its rests and its limiter are kept under. */
  endpointOf(entry: ChainEntry): string;
  health: HealthView;
  /** The endpoint's concurrency limiter, shared by every request to it. */
  limiterFor(entry: ChainEntry): ConcurrencyLimiter;
  policyFor(entry: ChainEntry): RetryPolicy;
  /** USD for what an attempt on this entry consumed; null when the model is unpriced. */
  price(entry: ChainEntry, usage: Usage): number | null;
  random(): number;
  now(): number;
  sleep(milliseconds: number, signal: AbortSignal): Promise<void>;
  onEvent(event: RouterEvent): void;
}

export interface RouteRequest {
  messages: readonly ChatMessage[];
  signal: AbortSignal;
  /** Stream each attempt, passing text on as `text-delta` events; otherwise one plain call each. */
  stream?: boolean;
  /**
   * Asked before each attempt is sent (a run's budget reserves its worst case here): it may refuse by
   * throwing, which ends the request with that error, and may cap the attempt's output tokens when the
   * chain sets none, so that the worst case it reserved holds.
   */
  admit?: (attempt: { entry: ChainEntry; promptTokens: number; maxTokens: number | undefined }) => { maxTokens?: number } | void | Promise<{ maxTokens?: number } | void>;
}

export interface RoutedResult {
  result: GenerateResult;
  entry: ChainEntry;
  attempts: AttemptRecord[];
}

/** A provider's message, on one line and short: what it said matters ("You exceeded your current quota"). */
function said(message: string | undefined): string {
  const line = (message ?? '').split('\n')[0].trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * Each model's attempts, in order: how many, how the last ended, its class and what the provider said,
 * e.g. `gpt: 3 attempts, fallback (rate_limit: Rate limit reached for gpt-4.1; asked to wait 20 s)`.
 */
export function describeAttempts(attempts: readonly AttemptRecord[]): string {
  const groups: AttemptRecord[][] = [];
  for (const attempt of attempts) {
    const last = groups.at(-1);
    if (last && last[0].reference === attempt.reference) last.push(attempt);
    else groups.push([attempt]);
  }
  return groups
    .map((group) => {
      const last = group[group.length - 1];
      const wait = group.find((attempt) => attempt.delayMs !== undefined && attempt.delayMs >= 1000)?.delayMs;
      const detail = [last.errorClass, said(last.message)].filter((part) => part !== undefined && part !== '').join(': ');
      return `${last.reference}: ${group.length > 1 ? `${group.length} attempts, ` : ''}${last.outcome}${detail ? ` (${detail}${wait === undefined ? '' : `; waited ${(wait / 1000).toFixed(0)} s`})` : ''}`;
    })
    .join(' → ');
}

/** Every model failed or was skipped; the message names the chain and each model's attempts. */
export class ChainExhaustedError extends Error {
  constructor(
    readonly label: string,
    readonly attempts: readonly AttemptRecord[],
    readonly lastError: ProviderError | undefined,
  ) {
    super(`${label}: no model answered — ${describeAttempts(attempts)}`);
    this.name = 'ChainExhaustedError';
  }
}

const ZERO_USAGE: Usage = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 };

/** Text passed on by the attempt in progress, for estimating what a failed stream consumed. */
interface Progress {
  chars: number;
  estimatedOutputTokens: number;
}

/**
 * The most of one streamed answer kept (about a million tokens: past any model's output cap). A stream
 * that goes past it — a broken or hostile server — is cut there and reported as cut at the output cap,
 * which the run handles like any answer that was cut off, so memory stays bounded.
 */
export const MAX_ANSWER_CHARS = 4 * 1024 * 1024;

async function streamOnce(model: LanguageModel, options: CallOptions, progress: Progress, onEvent: RouterDependencies['onEvent']): Promise<GenerateResult> {
  const parts: string[] = [];
  for await (const event of model.stream(options)) {
    if (event.type === 'text-delta') {
      const room = MAX_ANSWER_CHARS - progress.chars;
      const text = event.text.length > room ? event.text.slice(0, room) : event.text;
      parts.push(text);
      progress.chars += text.length;
      progress.estimatedOutputTokens += estimateTokens(text);
      if (text !== '') onEvent({ type: 'text-delta', text });
      // Leaving the loop ends the stream: the body is not read further.
      if (progress.chars >= MAX_ANSWER_CHARS) return { text: parts.join(''), finishReason: 'length', rawFinishReason: `electrictown: the answer passed ${MAX_ANSWER_CHARS.toLocaleString('en-US')} characters`, usage: { inputTokens: undefined, cachedInputTokens: undefined, outputTokens: progress.estimatedOutputTokens, reasoningTokens: undefined } };
    } else {
      return { text: parts.join(''), finishReason: event.finishReason, rawFinishReason: event.rawFinishReason, usage: event.usage, ...(event.usageEstimated ? { usageEstimated: true } : {}) };
    }
  }
  // Adapters end every stream with `end` or throw; this guards the contract, not the wire.
  throw new Error(`${model.provider}/${model.modelId}: the stream ended without an end event`);
}

/** Our estimate of what an attempt consumed: the prompt, and the text that came before it stopped. */
function estimatedUsage(promptTokens: number, progress: Progress): Usage {
  return { inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: progress.estimatedOutputTokens, reasoningTokens: 0 };
}

/**
 * What a failed attempt consumed. An error answer (4xx/5xx) and a failed connection are not billed. A
 * 200 that failed on the way (a cut stream, an in-stream error, a silently cut prompt) was: the
 * provider's own counts when it gave them, else our estimate of the prompt and of the text that came.
 */
function failedUsage(error: ProviderError, promptTokens: number, progress: Progress): { usage: Usage; estimated: boolean } {
  if (error.usage) return { usage: error.usage, estimated: false };
  if (error.status !== 200 && progress.chars === 0) return { usage: ZERO_USAGE, estimated: false };
  return { usage: estimatedUsage(promptTokens, progress), estimated: true };
}

/**
 * Rate limits our own concurrency explains, forgiven per model: they halve its limiter and are retried
 * without using one of the model's attempts. Halving from the 256 workers a config allows reaches one
 * request at a time in 8 steps; past that the endpoint itself is limiting, and attempts count.
 */
const MOST_FORGIVEN_RATE_LIMITS = 8;

function resting(entry: ChainEntry, dependencies: RouterDependencies): boolean {
  return dependencies.health.cooldown(dependencies.endpointOf(entry), dependencies.now()) !== undefined;
}

/** A later model can be tried now (it is not resting). */
function laterReady(later: readonly ChainEntry[], dependencies: RouterDependencies): boolean {
  return later.some((next) => !resting(next, dependencies));
}

/** A later model can be tried now and has room for one more request. */
function laterHasRoom(later: readonly ChainEntry[], dependencies: RouterDependencies): boolean {
  return later.some((next) => !resting(next, dependencies) && dependencies.limiterFor(next).hasFreeSlot());
}

/**
 * Sends a request down the chain. Before each model: one that rests (cooldowns) is skipped while a
 * later one is ready, and waited for when it is the best left and rests from a rate limit or overload
 * that ends within the policy's longest wait. Before each attempt: a slot at the model's endpoint
 * (concurrency-limiter.ts); a request kept waiting by a full endpoint for the policy's
 * `readyFallbackWaitMs` moves to a later model that is ready and has room, else keeps waiting.
 */
export async function routeRequest(chain: Chain, request: RouteRequest, dependencies: RouterDependencies): Promise<RoutedResult> {
  const { health, onEvent, now } = dependencies;
  const attempts: AttemptRecord[] = [];
  const promptTokens = estimatePromptTokens(request.messages);
  let lastError: ProviderError | undefined;

  const report = (entry: ChainEntry, record: Omit<AttemptRecord, 'reference' | 'alias' | 'provider' | 'providerType' | 'modelId' | 'usd' | 'sequence'>) => {
    const full: AttemptRecord = { reference: entry.reference, alias: entry.alias, provider: entry.provider, providerType: entry.providerType, modelId: entry.modelId, ...record, usd: record.sent ? dependencies.price(entry, record.usage) : 0, sequence: attempts.length + 1 };
    attempts.push(full);
    onEvent({ type: 'attempt-end', ...full });
  };
  const notSent = { sent: false, usage: ZERO_USAGE, usageEstimated: false, durationMs: 0 };

  for (const [index, entry] of chain.entries.entries()) {
    const endpoint = dependencies.endpointOf(entry);
    const policy = dependencies.policyFor(entry);
    const later = chain.entries.slice(index + 1);
    const rest = health.cooldown(endpoint, now());
    if (rest) {
      const waitMs = rest.until - now();
      if (laterReady(later, dependencies) || !waitForRest(rest, waitMs, policy)) {
        report(entry, { ...notSent, outcome: 'skipped', message: 'cooling down after recent failures' });
        continue;
      }
      // Up to a fifth more, at random: the workers that all waited do not come back together.
      await dependencies.sleep(Math.round(waitMs * (1 + 0.2 * dependencies.random())), request.signal);
    }
    if (entry.contextWindow !== undefined && promptTokens > entry.contextWindow) {
      const message = `the prompt (about ${promptTokens} tokens) does not fit the context window (${entry.contextWindow})`;
      lastError = new ProviderError(entry.provider, entry.providerType, { errorClass: 'context_overflow', action: 'fallback', message });
      report(entry, { ...notSent, outcome: 'fallback', errorClass: 'context_overflow', message });
      continue;
    }
    const options: CallOptions = { messages: request.messages, maxTokens: maxTokensFor(chain, entry), temperature: chain.temperature, signal: request.signal };
    const limiter = dependencies.limiterFor(entry);
    // Attempts that count against the model's budget, and rate limits forgiven as our own doing.
    let counted = 0;
    let forgiven = 0;
    for (let attempt = 1; ; attempt++) {
      const slot = limiter.tryAcquire() ?? (await limiter.acquire({ signal: request.signal, patienceMs: policy.readyFallbackWaitMs, giveUp: () => laterHasRoom(later, dependencies) }));
      if (!slot) {
        report(entry, { ...notSent, outcome: 'skipped', message: `busy: its limit of ${limiter.limit} request${limiter.limit === 1 ? '' : 's'} at once is in flight` });
        break;
      }
      let admitted: Awaited<ReturnType<NonNullable<RouteRequest['admit']>>>;
      try {
        // May wait (a budget being raised): the request's signal still ends it.
        admitted = await request.admit?.({ entry, promptTokens, maxTokens: options.maxTokens });
        request.signal.throwIfAborted();
      } catch (error) {
        slot.release();
        throw error;
      }
      if (admitted && admitted.maxTokens !== undefined && options.maxTokens === undefined) options.maxTokens = admitted.maxTokens;
      onEvent({ type: 'attempt-start', reference: entry.reference, provider: entry.provider, modelId: entry.modelId, attempt });
      const started = now();
      const progress: Progress = { chars: 0, estimatedOutputTokens: 0 };
      try {
        const model = dependencies.createModel(entry);
        const result = await (request.stream ? streamOnce(model, options, progress, onEvent) : model.generate(options));
        slot.succeeded();
        health.recordSuccess(endpoint, now());
        const cut: Pick<AttemptRecord, 'cutAtOutputCap'> = result.finishReason === 'length' ? { cutAtOutputCap: true } : {};
        report(entry, { outcome: 'ok', sent: true, usage: result.usage, usageEstimated: result.usageEstimated === true, durationMs: now() - started, ...cut });
        return { result, entry, attempts };
      } catch (error) {
        if (request.signal.aborted || !ProviderError.isInstance(error)) slot.release();
        if (request.signal.aborted) {
          // The provider bills what it generated before we hung up.
          const usage = progress.chars > 0 ? estimatedUsage(promptTokens, progress) : ZERO_USAGE;
          report(entry, { outcome: 'cancelled', sent: true, usage, usageEstimated: progress.chars > 0, durationMs: now() - started });
          throw error;
        }
        if (!ProviderError.isInstance(error)) throw error;
        lastError = error;
        const ourDoing = error.errorClass === 'rate_limit' ? slot.rateLimited() : (slot.release(), false);
        if (ourDoing && forgiven < MOST_FORGIVEN_RATE_LIMITS) forgiven++;
        else counted++;
        health.recordFailure(endpoint, error.classification, now(), { concurrencyExplains: ourDoing });
        const decision = decide({ classification: error.classification, attempts: counted, outputStarted: progress.chars > 0, nextModelReady: laterReady(later, dependencies) }, policy, dependencies.random);
        const consumed = failedUsage(error, promptTokens, progress);
        const failed = { sent: true, errorClass: error.errorClass, message: error.message, usage: consumed.usage, usageEstimated: consumed.estimated, durationMs: now() - started };
        if (progress.chars > 0 && decision.kind !== 'fail') {
          onEvent({ type: 'restart', reference: entry.reference, discardedChars: progress.chars, message: error.message });
        }
        if (decision.kind === 'fail') {
          report(entry, { ...failed, outcome: 'fail' });
          throw error;
        }
        if (decision.kind === 'fallback') {
          report(entry, { ...failed, outcome: 'fallback' });
          break;
        }
        report(entry, { ...failed, outcome: 'retry', delayMs: decision.delayMs });
        await dependencies.sleep(decision.delayMs, request.signal);
      }
    }
  }
  throw new ChainExhaustedError(chain.label, attempts, lastError);
}
