// Asking endpoints whether they answer: one model-list request each (providers/list-models.ts), all at
// once, none waiting longer than PROBE_TIMEOUT_MS. An answer is remembered for CACHE_MS, so Run Task after
// Run Task asks nothing; a failure is not, since the user is about to fix it and try again.
import { ProviderError } from '../providers/provider-error';
import type { ProbeOutcome } from './preflight-report';
import type { PlannedEndpoint } from './preflight-plan';

export const PROBE_TIMEOUT_MS = 2000;
export const CACHE_MS = 60_000;

/** Lists an endpoint's models within `signal`; throws a ProviderError when it cannot. */
export type ListEndpointModels = (endpoint: PlannedEndpoint, signal: AbortSignal) => Promise<string[]>;

/** A failure as the report shows it: the provider's classified message, or the time it was given. */
export function probeFailure(error: unknown): Extract<ProbeOutcome, { ok: false }> {
  if (ProviderError.isInstance(error)) return { ok: false, errorClass: error.errorClass, message: error.classification.message };
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { ok: false, errorClass: 'timeout', message: `no answer within ${PROBE_TIMEOUT_MS / 1000} s` };
  return { ok: false, errorClass: 'network', message: error instanceof Error ? error.message : String(error) };
}

export class EndpointProbes {
  private readonly answers = new Map<string, { at: number; outcome: Promise<ProbeOutcome> }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Every endpoint's outcome, asked in parallel with `list`; an answer less than a minute old is not
   * asked again (an endpoint's id covers its place and credentials, so any config naming it may reuse it).
   */
  async outcomes(endpoints: readonly PlannedEndpoint[], list: ListEndpointModels): Promise<Map<string, ProbeOutcome>> {
    const settled = await Promise.all(endpoints.map(async (endpoint) => [endpoint.id, await this.outcome(endpoint, list)] as const));
    return new Map(settled);
  }

  private outcome(endpoint: PlannedEndpoint, list: ListEndpointModels): Promise<ProbeOutcome> {
    const cached = this.answers.get(endpoint.id);
    if (cached && this.now() - cached.at < CACHE_MS) return cached.outcome;
    // Called inside a promise chain: a synchronous throw (settings that cannot be built) is a failure like any other.
    const outcome = Promise.resolve().then(() => list(endpoint, AbortSignal.timeout(PROBE_TIMEOUT_MS))).then(
      (models): ProbeOutcome => ({ ok: true, models }),
      (error: unknown) => probeFailure(error),
    );
    // Shared while in flight (two Run Tasks at once ask once); kept afterwards only if it answered.
    const entry = { at: this.now(), outcome };
    this.answers.set(endpoint.id, entry);
    void outcome.then((settledOutcome) => {
      if (!settledOutcome.ok && this.answers.get(endpoint.id) === entry) this.answers.delete(endpoint.id);
    });
    return outcome;
  }
}
