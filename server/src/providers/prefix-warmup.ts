// A provider caches a prompt's prefix only once a request carrying it has begun to answer: requests
// sent together all miss it, and on Anthropic each pays to write it. So when requests that share a
// cacheable prefix (their messages up to a `cacheBreakpoint`) go to one model at once — a run's
// workers — the first goes alone and the others wait until it has begun to answer, at most
// WARMUP_WAIT_MS; then they read what it wrote. A prefix stays warm for the cache's lifetime after its
// last use, so later requests with it go at once.
import { createHash } from 'node:crypto';
import type { CallOptions, ChatMessage, GenerateResult, LanguageModel, StreamEvent } from './language-model';

/** The providers that cache prefixes (explicitly or on their own); Ollama keeps no shared cache. */
export const PROMPT_CACHING_PROVIDERS: ReadonlySet<string> = new Set(['anthropic', 'openai', 'gemini']);
/** The longest a request waits for the first one with its prefix; past it, it goes (and may write too). */
export const WARMUP_WAIT_MS = 15_000;
/** Anthropic's cache lives five minutes after its last use (OpenAI's and Gemini's at least as long). */
export const CACHE_LIFETIME_MS = 5 * 60_000;
/** Prefixes remembered per model; the oldest is forgotten first. */
const MAX_PREFIXES = 256;

/** The identity of a request's cacheable prefix (its messages up to the last breakpoint); undefined without one. */
export function cachedPrefixKey(messages: readonly ChatMessage[]): string | undefined {
  let last = -1;
  for (const [index, message] of messages.entries()) if (message.cacheBreakpoint === true) last = index;
  if (last === -1) return undefined;
  const hash = createHash('sha256');
  for (const message of messages.slice(0, last + 1)) hash.update(`${message.role}\u0000${message.content}\u0000`);
  return hash.digest('hex');
}

interface Prefix {
  /** Settles when the first request with this prefix began to answer, or failed. */
  begun: Promise<void>;
  lastUsed: number;
}

export class PrefixWarmup {
  private readonly prefixes = new Map<string, Prefix>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly waitMs = WARMUP_WAIT_MS,
  ) {}

  /**
   * Called before a request is sent. The first with a prefix (or the first since it expired) leads: it
   * gets a function to call once its answer has begun. The others wait for that (or the time limit),
   * and get undefined, as does a request with no prefix to cache.
   */
  async enter(key: string | undefined, signal: AbortSignal): Promise<(() => void) | undefined> {
    if (key === undefined) return undefined;
    const now = this.now();
    const known = this.prefixes.get(key);
    if (known && now - known.lastUsed < CACHE_LIFETIME_MS) {
      known.lastUsed = now;
      await settledOrLater(known.begun, this.waitMs, signal);
      return undefined;
    }
    let begin = () => {};
    const begun = new Promise<void>((resolve) => (begin = resolve));
    this.prefixes.delete(key);
    this.prefixes.set(key, { begun, lastUsed: now });
    const oldest = this.prefixes.keys().next();
    if (this.prefixes.size > MAX_PREFIXES && !oldest.done) this.prefixes.delete(oldest.value);
    return begin;
  }
}

/** Waits for `promise`, at most `waitMs`; rejects with the signal's reason when it is aborted. */
function settledOrLater(promise: Promise<void>, waitMs: number, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abort);
      resolve();
    };
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(done, waitMs);
    timer.unref();
    signal.addEventListener('abort', abort, { once: true });
    void promise.then(done);
  });
}

/** A model whose requests that share a cacheable prefix wait for the first to begin answering. */
export class PrefixWarmupModel implements LanguageModel {
  readonly provider: string;
  readonly providerType: LanguageModel['providerType'];
  readonly modelId: string;

  constructor(
    private readonly model: LanguageModel,
    private readonly warmup = new PrefixWarmup(),
  ) {
    this.provider = model.provider;
    this.providerType = model.providerType;
    this.modelId = model.modelId;
  }

  // A request with nothing to cache goes straight to the model, with no layer in between.
  generate(options: CallOptions): Promise<GenerateResult> {
    const key = cachedPrefixKey(options.messages);
    return key === undefined ? this.model.generate(options) : this.warmedGenerate(key, options);
  }

  stream(options: CallOptions): AsyncIterable<StreamEvent> {
    const key = cachedPrefixKey(options.messages);
    return key === undefined ? this.model.stream(options) : this.warmedStream(key, options);
  }

  private async warmedGenerate(key: string, options: CallOptions): Promise<GenerateResult> {
    const begun = await this.warmup.enter(key, options.signal);
    try {
      return await this.model.generate(options);
    } finally {
      begun?.();
    }
  }

  private async *warmedStream(key: string, options: CallOptions): AsyncGenerator<StreamEvent> {
    const begun = await this.warmup.enter(key, options.signal);
    try {
      for await (const event of this.model.stream(options)) {
        // The first event comes once the provider has read the prompt, and so cached its prefix.
        begun?.();
        yield event;
      }
    } finally {
      begun?.();
    }
  }
}
