// Runs one request through a chain: each model in turn, retried or left according to the retry
// policy, skipped while cooling down. Every attempt is reported as an event, so a run can show which
// model really answered and what the others cost. (Streaming with restart events comes next.)
import type { CallOptions, ChatMessage, GenerateResult, LanguageModel, Usage } from '../providers/language-model';
import { ProviderError, type ErrorClass } from '../providers/provider-error';
import { maxTokensFor, type Chain, type ChainEntry } from './chain';
import type { Cooldowns } from './cooldowns';
import { decide, type RetryPolicy } from './retry-policy';

export type AttemptOutcome = 'ok' | 'retry' | 'fallback' | 'fail' | 'skipped';

export interface AttemptRecord {
  reference: string;
  provider: string;
  modelId: string;
  outcome: AttemptOutcome;
  errorClass?: ErrorClass;
  message?: string;
  /** The wait before the next attempt, for `retry`. */
  delayMs?: number;
  usage?: Usage;
}

export type RouterEvent = { type: 'attempt-start'; reference: string; provider: string; modelId: string } | ({ type: 'attempt-end' } & AttemptRecord);

export interface RouterDependencies {
  createModel(entry: ChainEntry): LanguageModel;
  cooldowns: Cooldowns;
  policy: RetryPolicy;
  random(): number;
  now(): number;
  sleep(milliseconds: number, signal: AbortSignal): Promise<void>;
  onEvent(event: RouterEvent): void;
}

export interface RoutedResult {
  result: GenerateResult;
  entry: ChainEntry;
  attempts: AttemptRecord[];
}

/** Every model failed or was skipped; the message names the chain and each attempt. */
export class ChainExhaustedError extends Error {
  constructor(
    readonly label: string,
    readonly attempts: readonly AttemptRecord[],
    readonly lastError: ProviderError | undefined,
  ) {
    super(`${label}: no model answered — ${attempts.map((attempt) => `${attempt.reference}: ${attempt.outcome}${attempt.errorClass ? ` (${attempt.errorClass})` : ''}`).join(' → ')}`);
    this.name = 'ChainExhaustedError';
  }
}

export async function generateWithChain(chain: Chain, request: { messages: readonly ChatMessage[]; signal: AbortSignal }, dependencies: RouterDependencies): Promise<RoutedResult> {
  const attempts: AttemptRecord[] = [];
  const report = (record: AttemptRecord) => {
    attempts.push(record);
    dependencies.onEvent({ type: 'attempt-end', ...record });
  };
  let lastError: ProviderError | undefined;
  for (const entry of chain.entries) {
    const endpoint = `${entry.provider}/${entry.modelId}`;
    const base = { reference: entry.reference, provider: entry.provider, modelId: entry.modelId };
    if (dependencies.cooldowns.availableAt(endpoint, dependencies.now()) !== undefined) {
      report({ ...base, outcome: 'skipped', message: 'cooling down after recent failures' });
      continue;
    }
    const options: CallOptions = { messages: request.messages, maxTokens: maxTokensFor(chain, entry), temperature: chain.temperature, signal: request.signal };
    for (let attempt = 1; ; attempt++) {
      dependencies.onEvent({ type: 'attempt-start', ...base });
      try {
        const result = await dependencies.createModel(entry).generate(options);
        dependencies.cooldowns.recordSuccess(endpoint);
        report({ ...base, outcome: 'ok', usage: result.usage });
        return { result, entry, attempts };
      } catch (error) {
        if (!ProviderError.isInstance(error)) throw error;
        lastError = error;
        dependencies.cooldowns.recordFailure(endpoint, error.classification, dependencies.now());
        const decision = decide({ classification: error.classification, attempts: attempt, outputStarted: false }, dependencies.policy, dependencies.random);
        const failed = { ...base, errorClass: error.errorClass, message: error.message };
        if (decision.kind === 'fail') {
          report({ ...failed, outcome: 'fail' });
          throw error;
        }
        if (decision.kind === 'fallback') {
          report({ ...failed, outcome: 'fallback' });
          break;
        }
        report({ ...failed, outcome: 'retry', delayMs: decision.delayMs });
        await dependencies.sleep(decision.delayMs, request.signal);
      }
    }
  }
  throw new ChainExhaustedError(chain.label, attempts, lastError);
}
