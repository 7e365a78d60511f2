// The retry policy a provider's models get: `defaults.retry`, then the provider's own `retry:`, key by
// key over DEFAULT_RETRY_POLICY. Pure.
import type { ElectrictownConfig, RetryConfig } from '../config/schema';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

function applied(policy: RetryPolicy, retry: RetryConfig | undefined): RetryPolicy {
  if (!retry) return policy;
  const attemptsPerModel = retry.attempts ?? policy.attemptsPerModel;
  return {
    ...policy,
    attemptsPerModel,
    // Overload gives up sooner than other failures, never later.
    overloadedAttempts: Math.min(DEFAULT_RETRY_POLICY.overloadedAttempts, attemptsPerModel),
    maxWaitMs: retry.max_wait_seconds === undefined ? policy.maxWaitMs : Math.round(retry.max_wait_seconds * 1000),
    retryTimeouts: retry.retry_timeouts ?? policy.retryTimeouts,
  };
}

/** The policy for models of `provider`; a provider not in the config gets the defaults'. */
export function retryPolicyFor(config: ElectrictownConfig, provider: string): RetryPolicy {
  return applied(applied(DEFAULT_RETRY_POLICY, config.defaults?.retry), config.providers[provider]?.retry);
}
