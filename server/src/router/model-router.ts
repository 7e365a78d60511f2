// The router as the rest of the server uses it: a role, an alias or `provider/model` in, an answer
// out, with state that outlives one request — adapters, the pool's round-robin turn, auth failures —
// endpoint health (rests and concurrency) shared with the process's other routers, and every attempt
// that reached a provider written to the cost ledger, priced.
import path from 'node:path';
import type { Environment } from '../config/env';
import { resolveEnv } from '../config/env';
import type { ElectrictownConfig } from '../config/schema';
import { inflightAttempts } from '../cost/inflight';
import type { LedgerEntry } from '../cost/ledger';
import { listPrice } from '../cost/price-table';
import { cacheSavingUsd, costUsd, resolvePricing, type Pricing, type ResolvedPricing } from '../cost/pricing';
import { createModel, providerSettings } from '../providers/create-model';
import { FailedRequestLog, FAILED_REQUESTS_FOLDER, withFailedRequestLog } from '../providers/failed-request-log';
import { secretValues } from '../config/secret-names';
import type { Timeouts } from '../providers/http';
import type { ChatMessage, LanguageModel, Usage } from '../providers/language-model';
import { PrefixWarmupModel, PROMPT_CACHING_PROVIDERS } from '../providers/prefix-warmup';
import type { ClientLanguageModels } from '../providers/vscode/client-language-models';
import { chainForModel, chainForPoolSlot, chainForRole, type Chain, type ChainEntry } from './chain';
import { concurrencyCeilings } from './concurrency-ceiling';
import type { ConcurrencyLimiter } from './concurrency-limiter';
import { Cooldowns } from './cooldowns';
import { withOwnAuthFailures, type EndpointHealth } from './endpoint-health';
import { endpointKey } from './endpoint-key';
import { retryPolicyFor } from './retry-config';
import type { RetryPolicy } from './retry-policy';
import { routeRequest, type AttemptRecord, type RouteRequest, type RoutedResult, type RouterDependencies, type RouterEvent } from './router';

export type RouteTarget = { role: string } | { model: string };

export interface LedgerSink {
  record(entry: LedgerEntry): void;
}

export interface ModelRouterOptions {
  config: ElectrictownConfig;
  environment: Environment;
  ledger: LedgerSink | undefined;
  /** Endpoint health: the process's shared one (health-registry.ts), or a private one in tests. */
  health: EndpointHealth;
  /** The config's log folder: each call that ends in a provider error is dumped under its failed_requests/. */
  logDirectory?: string;
  /** How a dump that cannot be written is reported (default: not at all; the call goes on). */
  onDumpError?: (error: unknown) => void;
  /** How `type: vscode` providers reach the editor's models (default: they cannot, outside VS Code). */
  clientModels?: ClientLanguageModels;
  /** Overrides the config's retry policy for every model (tests, benchmarks). */
  policy?: RetryPolicy;
  /** Overrides the providers' configured timeouts (tests, benchmarks). */
  timeouts?: (provider: string) => Timeouts;
  random?: () => number;
  now?: () => number;
  sleep?: (milliseconds: number, signal: AbortSignal) => Promise<void>;
}

export interface ModelRequest {
  target: RouteTarget;
  messages: readonly ChatMessage[];
  signal: AbortSignal;
  stream?: boolean;
  /** Recorded with every attempt in the ledger. */
  runId?: string;
  onEvent?: (event: RouterEvent) => void;
  /** Before each attempt: see RouteRequest.admit. */
  admit?: RouteRequest['admit'];
  /** Recorded with every attempt in the ledger, so that parallel identical calls can be told apart. */
  tags?: { subtask?: number; purpose?: string };
}

export function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, milliseconds);
    signal.addEventListener('abort', abort, { once: true });
  });
}

const ignore = () => {};

export class ModelRouter {
  /** Auth failures are this router's own: the next run asks again (see withOwnAuthFailures). */
  private readonly authFailures = new Cooldowns();
  private readonly endpoints = new Map<string, string>();
  private readonly policies = new Map<string, RetryPolicy>();
  private readonly ceilings: (provider: string, modelId: string) => number;
  private readonly models = new Map<string, LanguageModel>();
  private readonly prices = new Map<string, ResolvedPricing | undefined>();
  private readonly poolTurns = new Map<string, number>();
  /** The config does not change under a router, so a target's chain is resolved once. */
  private readonly chains = new Map<string, Chain>();
  readonly failedRequests: FailedRequestLog | undefined;
  /** What every request routes with but its own events: built once, as requests are many. */
  private readonly routing: Omit<RouterDependencies, 'onEvent'>;

  constructor(private readonly options: ModelRouterOptions) {
    const { logDirectory, config, environment } = options;
    this.failedRequests = logDirectory === undefined ? undefined : new FailedRequestLog(path.join(logDirectory, FAILED_REQUESTS_FOLDER), secretValues(config, environment), options.onDumpError ?? ignore);
    this.ceilings = concurrencyCeilings(config);
    this.routing = {
      createModel: (entry) => this.model(entry),
      endpointOf: (entry) => this.endpointOf(entry),
      health: withOwnAuthFailures(options.health, this.authFailures),
      limiterFor: (entry) => this.limiterFor(entry),
      policyFor: (entry) => this.policyFor(entry),
      price: (entry, usage) => this.price(entry, usage),
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      sleep: options.sleep ?? sleep,
    };
  }

  /** The endpoint an entry reaches, as health is kept: no key in it (endpoint-key.ts). */
  endpointOf(entry: ChainEntry): string {
    const id = `${entry.provider}\u0000${entry.modelId}`;
    let endpoint = this.endpoints.get(id);
    if (endpoint === undefined) {
      const { config, environment } = this.options;
      const byName = `${entry.providerType} provider:${entry.provider} ${entry.modelId}`;
      try {
        // The editor's models have no URL: they are told apart by provider and model.
        if (entry.providerType === 'vscode') endpoint = byName;
        else {
          const settings = providerSettings(config, environment, entry.provider);
          // Every secret the config holds, a variable its base_url reads included.
          endpoint = endpointKey(settings.type, settings.baseUrl, entry.modelId, secretValues(config, environment));
        }
      } catch {
        // An unset variable: the attempt fails as auth before any request, which stays this router's.
        endpoint = byName;
      }
      this.endpoints.set(id, endpoint);
    }
    return endpoint;
  }

  private limiterFor(entry: ChainEntry): ConcurrencyLimiter {
    return this.options.health.limiter(this.endpointOf(entry), this.ceilings(entry.provider, entry.modelId));
  }

  private policyFor(entry: ChainEntry): RetryPolicy {
    if (this.options.policy) return this.options.policy;
    let policy = this.policies.get(entry.provider);
    if (!policy) {
      policy = retryPolicyFor(this.options.config, entry.provider);
      this.policies.set(entry.provider, policy);
    }
    return policy;
  }

  /** Resolves once what this router's requests learned about endpoints is in the shared file. */
  flushHealth(): Promise<void> {
    return this.options.health.flush();
  }

  /** The chain a request for this target uses; a role with a pool takes the next member in turn. */
  chainFor(target: RouteTarget): Chain {
    const { config } = this.options;
    const key = 'model' in target ? `model\u0000${target.model}` : `role\u0000${target.role}`;
    let chain = this.chains.get(key);
    if (!chain) {
      chain = 'model' in target ? chainForModel(config, target.model) : chainForRole(config, target.role);
      this.chains.set(key, chain);
    }
    if ('model' in target || chain.pool.length === 0) return chain;
    const turn = this.poolTurns.get(target.role) ?? 0;
    this.poolTurns.set(target.role, turn + 1);
    return chainForPoolSlot(chain, turn);
  }

  /** The price an entry is billed at, and where it came from; undefined when unpriced. */
  pricingFor(entry: ChainEntry): ResolvedPricing | undefined {
    if (!this.prices.has(entry.reference)) {
      const { config, environment } = this.options;
      const baseUrl = config.providers[entry.provider]?.base_url;
      const configured = entry.alias ? config.models?.[entry.alias]?.pricing : undefined;
      this.prices.set(entry.reference, resolvePricing({ configured, providerType: entry.providerType, baseUrl: baseUrl === undefined ? undefined : resolveEnv(baseUrl, environment).value, modelId: entry.modelId }, listPrice));
    }
    return this.prices.get(entry.reference);
  }

  private price(entry: ChainEntry, usage: Usage): number | null {
    return costUsd(usage, this.pricingFor(entry)?.pricing);
  }

  private model(entry: ChainEntry): LanguageModel {
    const key = `${entry.provider}\u0000${entry.modelId}\u0000${entry.contextWindow ?? ''}`;
    let model = this.models.get(key);
    if (!model) {
      const { config, environment, timeouts, clientModels } = this.options;
      model = createModel(config, environment, entry, timeouts?.(entry.provider), clientModels);
      // Requests sharing a cacheable prefix wait for the first to begin, so the rest read its cache.
      if (PROMPT_CACHING_PROVIDERS.has(entry.providerType)) model = new PrefixWarmupModel(model);
      // A dump keeps an HTTP request and its answer; an editor model's call has neither (its failures are in the ledger and events).
      if (this.failedRequests && entry.providerType !== 'vscode') model = withFailedRequestLog(model, this.failedRequests);
      this.models.set(key, model);
    }
    return model;
  }

  async request(request: ModelRequest, chain: Chain = this.chainFor(request.target)): Promise<RoutedResult> {
    const { options } = this;
    const role = 'role' in request.target ? request.target.role : undefined;
    const onEvent = request.onEvent ?? ignore;
    // The attempt under way, in this process's in-flight file: a kill leaves it there to be recorded.
    const inflight = options.ledger && options.logDirectory !== undefined ? inflightAttempts(options.logDirectory) : undefined;
    let underway: string | undefined;
    // What other processes learned since: a dead endpoint one of them found is not probed again.
    const refreshing = options.health.refresh();
    if (refreshing) await refreshing;
    return routeRequest(chain, { messages: request.messages, signal: request.signal, stream: request.stream, admit: request.admit }, {
      ...this.routing,
      onEvent: (event) => {
        // The attempt was priced just now (router.ts), so its price is known by its reference.
        if (event.type === 'attempt-start' && inflight) {
          const entry = [...chain.entries, ...chain.pool].find((candidate) => candidate.reference === event.reference);
          underway = inflight.start({ time: new Date().toISOString(), runId: request.runId, ...(request.tags?.subtask === undefined ? {} : { subtask: request.tags.subtask }), ...(request.tags?.purpose === undefined ? {} : { purpose: request.tags.purpose }), role, provider: event.provider, providerType: entry?.providerType ?? 'openai', alias: entry?.alias, modelId: event.modelId });
        }
        if (event.type === 'attempt-end' && underway !== undefined) {
          inflight?.end(underway);
          underway = undefined;
        }
        if (event.type === 'attempt-end' && event.sent) options.ledger?.record(ledgerEntry(event, role, request.runId, new Date().toISOString(), request.tags, this.prices.get(event.reference)?.pricing));
        onEvent(event);
      },
    });
  }
}

/** The ledger's line for one attempt that reached a provider; `pricing`, what it was billed at. */
export function ledgerEntry(attempt: AttemptRecord, role: string | undefined, runId: string | undefined, time: string, tags: ModelRequest['tags'] = {}, pricing?: Pricing): LedgerEntry {
  const { usage } = attempt;
  const usedCache = (usage.cachedInputTokens ?? 0) + (usage.cacheWriteTokens ?? 0) > 0;
  const saved = usedCache ? cacheSavingUsd(usage, pricing) : null;
  return {
    time,
    runId,
    ...(tags.subtask === undefined ? {} : { subtask: tags.subtask }),
    ...(tags.purpose === undefined ? {} : { purpose: tags.purpose }),
    attempt: attempt.sequence,
    role,
    provider: attempt.provider,
    providerType: attempt.providerType,
    alias: attempt.alias,
    modelId: attempt.modelId,
    tokens: { input: usage.inputTokens ?? null, cachedInput: usage.cachedInputTokens ?? null, cacheWrite: usage.cacheWriteTokens ?? null, output: usage.outputTokens ?? null, reasoning: usage.reasoningTokens ?? null },
    estimated: attempt.usageEstimated,
    usd: attempt.usd,
    ...(saved === null ? {} : { cacheSavedUsd: saved }),
    outcome: attempt.outcome === 'skipped' ? 'fallback' : attempt.outcome,
    ...(attempt.errorClass ? { errorClass: attempt.errorClass } : {}),
  };
}
