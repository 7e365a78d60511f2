// Requests that share a cacheable prefix: the first leads, the others wait until it has begun to
// answer — no longer than the limit, and not past a cancel — and a prefix stays warm for the cache's
// lifetime after its last use.
import assert from 'node:assert/strict';
import type { ChatMessage } from '../../../server/src/providers/language-model';
import { CACHE_LIFETIME_MS, cachedPrefixKey, PrefixWarmup } from '../../../server/src/providers/prefix-warmup';

const settledWithin = async (promise: Promise<unknown>, milliseconds: number) => Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), milliseconds))]);

describe('prefix warm-up', () => {
  it('keys a request by its messages up to the last breakpoint, and gives none without one', () => {
    const shared: ChatMessage[] = [{ role: 'system', content: 'Be terse.' }, { role: 'user', content: 'The shared part.', cacheBreakpoint: true }];
    const key = cachedPrefixKey([...shared, { role: 'user', content: 'Subtask 1.' }]);
    assert.equal(key, cachedPrefixKey([...shared, { role: 'user', content: 'Subtask 2.' }]));
    assert.notEqual(key, cachedPrefixKey([{ role: 'system', content: 'Be brief.' }, ...shared.slice(1)]));
    assert.equal(cachedPrefixKey([{ role: 'user', content: 'No breakpoint.' }]), undefined);
  });

  it('lets the first request lead and holds the others until it has begun', async () => {
    const warmup = new PrefixWarmup();
    const signal = AbortSignal.timeout(10_000);
    assert.equal(await warmup.enter(undefined, signal), undefined, 'nothing to cache: no wait');
    const begin = await warmup.enter('prefix', signal);
    assert.equal(typeof begin, 'function');
    const follower = warmup.enter('prefix', signal);
    assert.equal(await settledWithin(follower, 50), false, 'held while the first has not begun');
    begin?.();
    assert.equal(await follower, undefined);
    assert.equal(await settledWithin(warmup.enter('prefix', signal), 20), true, 'warm: later requests go at once');
    assert.equal(typeof (await warmup.enter('another prefix', signal)), 'function');
  });

  it('lets the others go after the limit when the first never begins, and a cancelled one stop waiting', async () => {
    const warmup = new PrefixWarmup(Date.now, 60);
    await warmup.enter('prefix', AbortSignal.timeout(10_000));
    const started = Date.now();
    assert.equal(await warmup.enter('prefix', AbortSignal.timeout(10_000)), undefined);
    assert.ok(Date.now() - started >= 50, 'waited about the limit');

    const slow = new PrefixWarmup(Date.now, 10_000);
    await slow.enter('prefix', AbortSignal.timeout(10_000));
    const controller = new AbortController();
    const waiting = slow.enter('prefix', controller.signal);
    controller.abort(new Error('cancelled by the user'));
    await assert.rejects(waiting, /cancelled by the user/);
  });

  it('leads again once the cache would have expired since the prefix was last used', async () => {
    let now = 0;
    const warmup = new PrefixWarmup(() => now);
    const signal = AbortSignal.timeout(10_000);
    (await warmup.enter('prefix', signal))?.();
    now += CACHE_LIFETIME_MS - 1;
    assert.equal(await warmup.enter('prefix', signal), undefined, 'used again in time: still warm');
    now += CACHE_LIFETIME_MS - 1;
    assert.equal(await warmup.enter('prefix', signal), undefined, 'each use keeps it warm');
    now += CACHE_LIFETIME_MS;
    assert.equal(typeof (await warmup.enter('prefix', signal)), 'function');
  });
});
