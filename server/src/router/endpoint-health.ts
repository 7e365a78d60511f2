// What is known about provider endpoints for as long as the process lives — which rest until when, and
// how many requests each takes at once — shared by every router of the process, and (for the rests)
// with other `et` processes through a file under the log folder. A router asks before each attempt and
// tells it how each ended; it keeps auth failures to itself (`withOwnAuthFailures`).
import type { Classification } from '../providers/provider-error';
import { ConcurrencyLimiter } from './concurrency-limiter';
import { Cooldowns, type Cooldown, type FailureContext } from './cooldowns';
import { isShared, type HealthEntries } from './health-file-format';
import type { HealthFile } from './health-file';

/** What a router asks about an endpoint's rest and tells about its attempts; `Cooldowns` is one. */
export interface HealthView {
  cooldown(endpoint: string, now: number): Cooldown | undefined;
  recordSuccess(endpoint: string, now: number): void;
  recordFailure(endpoint: string, classification: Classification, now: number, context?: FailureContext): void;
}

/** The shared file is looked at no more often than this: a stat per request is cheap, but not free. */
const REFRESH_INTERVAL_MS = 200;

export class EndpointHealth implements HealthView {
  private readonly cooldowns = new Cooldowns();
  private readonly limiters = new Map<string, ConcurrencyLimiter>();
  /** Rests begun or ended here that the file does not have yet. */
  private readonly unwritten: HealthEntries = new Map();
  private writing: Promise<void> | undefined;
  private lastRefresh = Number.NEGATIVE_INFINITY;

  /** Without a file, the health lives in this process only (tests, benchmarks). */
  constructor(
    private readonly file?: HealthFile,
    private readonly clock: () => number = Date.now,
  ) {}

  cooldown(endpoint: string, now: number): Cooldown | undefined {
    return this.cooldowns.cooldown(endpoint, now);
  }

  recordSuccess(endpoint: string, now: number): void {
    if (this.cooldowns.recordSuccess(endpoint, now)) this.share(endpoint);
  }

  recordFailure(endpoint: string, classification: Classification, now: number, context: FailureContext = {}): void {
    // A key is the config's: a router keeps its own auth failures (see withOwnAuthFailures).
    if (classification.errorClass === 'auth') return;
    const cooldown = this.cooldowns.recordFailure(endpoint, classification, now, context);
    if (cooldown && isShared(cooldown.errorClass)) this.share(endpoint);
  }

  /** The endpoint's limiter, shared by every request to it; `ceiling` is what the config allows now. */
  limiter(endpoint: string, ceiling: number): ConcurrencyLimiter {
    let limiter = this.limiters.get(endpoint);
    if (!limiter) {
      limiter = new ConcurrencyLimiter(ceiling);
      this.limiters.set(endpoint, limiter);
    } else {
      limiter.setCeiling(ceiling);
    }
    return limiter;
  }

  /**
   * Takes in what other processes learned, when the file changed; at most every REFRESH_INTERVAL_MS.
   * Undefined when there is nothing to look at yet, so a request does not wait a turn for nothing.
   */
  refresh(): Promise<void> | undefined {
    const file = this.file;
    if (!file) return undefined;
    const now = this.clock();
    if (now - this.lastRefresh < REFRESH_INTERVAL_MS) return undefined;
    this.lastRefresh = now;
    return file.readIfChanged().then(
      (entries) => {
        if (entries) this.adopt(entries);
        if (this.unwritten.size > 0) this.startWriting();
      },
      () => undefined,
    );
  }

  /** Resolves once what was learned so far is in the file (or could not be written). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private adopt(entries: HealthEntries): void {
    for (const [endpoint, record] of entries) {
      if (!this.unwritten.has(endpoint)) this.cooldowns.adopt(endpoint, record);
    }
  }

  private share(endpoint: string): void {
    const record = this.cooldowns.record(endpoint);
    if (!this.file || !record) return;
    this.unwritten.set(endpoint, record);
    this.startWriting();
  }

  private startWriting(): void {
    const file = this.file;
    if (this.writing || !file) return;
    this.writing = (async () => {
      // Failures come in bursts (every worker meets the same rate limit): one write for the burst.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.unwritten.size > 0) {
        const changes = new Map(this.unwritten);
        this.unwritten.clear();
        const merged = await file.write(changes, this.clock()).catch((error: unknown) => {
          file.warnOnce('write-failed', `${file.path} could not be written (${error instanceof Error ? error.message : String(error)}): endpoint health stays in this process`);
          return null;
        });
        if (merged === undefined) {
          // Another process held the lock: keep what is not superseded for the next write.
          for (const [endpoint, record] of changes) if (!this.unwritten.has(endpoint)) this.unwritten.set(endpoint, record);
          return;
        }
        if (merged) this.adopt(merged);
      }
    })().finally(() => {
      this.writing = undefined;
    });
  }
}

/**
 * A router's view of endpoint health: auth failures stay with the router that saw them (each run asks
 * again, so a key fixed in the config is not blocked), everything else goes to the shared `health`.
 */
export function withOwnAuthFailures(health: HealthView, own: Cooldowns = new Cooldowns()): HealthView {
  return {
    cooldown: (endpoint, now) => own.cooldown(endpoint, now) ?? health.cooldown(endpoint, now),
    recordSuccess: (endpoint, now) => {
      own.recordSuccess(endpoint, now);
      health.recordSuccess(endpoint, now);
    },
    recordFailure: (endpoint, classification, now, context) => {
      if (classification.errorClass === 'auth') own.recordFailure(endpoint, classification, now, context);
      else health.recordFailure(endpoint, classification, now, context);
    },
  };
}
