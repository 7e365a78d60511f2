import assert from 'node:assert/strict';
import type { Classification, ErrorClass, ErrorAction } from '../../../server/src/providers/provider-error';
import { Cooldowns } from '../../../server/src/router/cooldowns';
import { decide, DEFAULT_RETRY_POLICY } from '../../../server/src/router/retry-policy';

const failed = (errorClass: ErrorClass, action: ErrorAction, retryAfterMs?: number): Classification => ({ errorClass, action, message: 'x', ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
const always = (value: number) => () => value;

describe('retry policy (wire-formats §6)', () => {
  it('fails at once on auth and bad requests, and falls back on fallback classes', () => {
    assert.deepEqual(decide({ classification: failed('auth', 'fail'), attempts: 1, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(0.5)), { kind: 'fail' });
    assert.deepEqual(decide({ classification: failed('quota_exhausted', 'fallback'), attempts: 1, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(0.5)), { kind: 'fallback', reason: 'quota_exhausted' });
  });

  it('waits what the provider asks plus up to a fifth at random, up to the cap; beyond it, moves on', () => {
    assert.deepEqual(decide({ classification: failed('rate_limit', 'retry', 7000), attempts: 1, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(0.5)), { kind: 'retry', delayMs: 7700 });
    assert.deepEqual(decide({ classification: failed('rate_limit', 'retry', 7000), attempts: 1, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(0)), { kind: 'retry', delayMs: 7000 });
    assert.equal(decide({ classification: failed('rate_limit', 'retry', 43_000), attempts: 1, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(0.5)).kind, 'fallback');
  });

  it('does not wait on a model when another is ready: a wait over 5 s, or a timeout, moves on at once', () => {
    assert.deepEqual(decide({ classification: failed('rate_limit', 'retry', 20_000), attempts: 1, outputStarted: false, nextModelReady: true }, DEFAULT_RETRY_POLICY, always(0.5)), { kind: 'fallback', reason: 'the provider asked to wait 20 s, and another model is ready' });
    assert.equal(decide({ classification: failed('rate_limit', 'retry', 2000), attempts: 1, outputStarted: false, nextModelReady: true }, DEFAULT_RETRY_POLICY, always(0.5)).kind, 'retry', 'a short wait is still worth it');
    assert.deepEqual(decide({ classification: failed('timeout', 'retry'), attempts: 1, outputStarted: false, nextModelReady: true }, DEFAULT_RETRY_POLICY, always(0.5)), { kind: 'fallback', reason: 'timed out, and another model is ready' });
    assert.deepEqual(decide({ classification: failed('timeout', 'retry'), attempts: 1, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(1)), { kind: 'retry', delayMs: 500 }, 'the last model in the chain is tried again');
  });

  it('backs off exponentially with full jitter, capped, and gives up after the attempt budget', () => {
    const delays = [1, 2].map((attempts) => decide({ classification: failed('server', 'retry'), attempts, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(1)));
    assert.deepEqual(delays, [{ kind: 'retry', delayMs: 500 }, { kind: 'retry', delayMs: 1000 }]);
    assert.deepEqual(decide({ classification: failed('server', 'retry'), attempts: 2, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(0.25)), { kind: 'retry', delayMs: 250 });
    assert.equal(decide({ classification: failed('server', 'retry'), attempts: 3, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(1)).kind, 'fallback');
    assert.deepEqual(decide({ classification: failed('server', 'retry'), attempts: 2, outputStarted: false, nextModelReady: false }, { ...DEFAULT_RETRY_POLICY, attemptsPerModel: 20, maxBackoffMs: 800 }, always(1)), { kind: 'retry', delayMs: 800 });
  });

  it('leaves an overloaded model at once when another is ready, and otherwise gives it fewer, longer tries', () => {
    assert.deepEqual(decide({ classification: failed('overloaded', 'retry'), attempts: 1, outputStarted: false, nextModelReady: true }, DEFAULT_RETRY_POLICY, always(1)), { kind: 'fallback', reason: 'overloaded, and another model is ready' });
    assert.equal(decide({ classification: failed('server', 'retry'), attempts: 1, outputStarted: false, nextModelReady: true }, DEFAULT_RETRY_POLICY, always(1)).kind, 'retry');
    assert.deepEqual(decide({ classification: failed('overloaded', 'retry'), attempts: 1, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(1)), { kind: 'retry', delayMs: 1000 });
    assert.equal(decide({ classification: failed('overloaded', 'retry'), attempts: 2, outputStarted: false, nextModelReady: false }, DEFAULT_RETRY_POLICY, always(1)).kind, 'fallback');
  });

  it('never retries a stream whose text already reached the consumer', () => {
    assert.deepEqual(decide({ classification: failed('truncated_stream', 'retry'), attempts: 1, outputStarted: true, nextModelReady: true }, DEFAULT_RETRY_POLICY, always(1)), { kind: 'fallback', reason: 'the stream failed after text was sent' });
  });
});

describe('cooldowns', () => {
  it('rests a rate-limited model for the provider’s delay, and forgets on success', () => {
    const cooldowns = new Cooldowns();
    cooldowns.recordFailure('claude/sonnet', failed('rate_limit', 'retry', 7000), 1000);
    assert.equal(cooldowns.availableAt('claude/sonnet', 1000), 8000);
    assert.equal(cooldowns.availableAt('claude/sonnet', 8000), undefined);
    cooldowns.recordFailure('claude/sonnet', failed('rate_limit', 'retry'), 9000);
    cooldowns.recordSuccess('claude/sonnet');
    assert.equal(cooldowns.availableAt('claude/sonnet', 9001), undefined);
  });

  it('rests a model after repeated server errors, not after one; never for problems of one request', () => {
    const cooldowns = new Cooldowns();
    for (let failure = 1; failure <= 2; failure++) cooldowns.recordFailure('m', failed('server', 'retry'), 0);
    assert.equal(cooldowns.availableAt('m', 0), undefined);
    cooldowns.recordFailure('m', failed('server', 'retry'), 0);
    assert.equal(cooldowns.availableAt('m', 0), 30_000);
    for (let failure = 0; failure < 5; failure++) cooldowns.recordFailure('n', failed('context_overflow', 'fallback'), 0);
    assert.equal(cooldowns.availableAt('n', 0), undefined);
  });

  it('takes a model with a bad key out until the configuration changes', () => {
    const cooldowns = new Cooldowns();
    cooldowns.recordFailure('k', failed('auth', 'fail'), 0);
    assert.equal(cooldowns.availableAt('k', Number.MAX_SAFE_INTEGER), Number.POSITIVE_INFINITY);
  });
});
