// The AIMD limiter on its own: halving on a rate limit, one more per round of successes, the queue in
// order, leaving it for another model, and abort.
import assert from 'node:assert/strict';
import { ConcurrencyLimiter, type Slot } from '../../../server/src/router/concurrency-limiter';

const never = () => false;

function take(limiter: ConcurrencyLimiter, count: number): Slot[] {
  return Array.from({ length: count }, () => {
    const slot = limiter.tryAcquire();
    assert.ok(slot, 'a free slot');
    return slot;
  });
}

describe('concurrency limiter (AIMD)', () => {
  it('gives up to its ceiling at once, and queues the rest in the order they asked', async () => {
    const limiter = new ConcurrencyLimiter(2);
    const [first] = take(limiter, 2);
    assert.equal(limiter.tryAcquire(), undefined);
    const order: number[] = [];
    const signal = new AbortController().signal;
    const waiting = [1, 2].map((index) => limiter.acquire({ signal, patienceMs: 10_000, giveUp: never }).then((slot) => (order.push(index), slot)));
    // A newcomer does not jump the queue, even when a slot frees.
    assert.equal(limiter.tryAcquire(), undefined);
    first.release();
    const second = await waiting[0];
    assert.deepEqual(order, [1]);
    assert.equal(limiter.active, 2);
    second?.release();
    await waiting[1];
    assert.deepEqual(order, [1, 2]);
  });

  it('halves its limit on a rate limit, once for everything sent under the old limit, never below 1', () => {
    const limiter = new ConcurrencyLimiter(8);
    const slots = take(limiter, 8);
    // Eight in flight, the endpoint allowed fewer: every refusal but the first was sent under the old limit.
    assert.deepEqual(slots.slice(0, 3).map((slot) => slot.rateLimited()), [true, true, true]);
    assert.equal(limiter.limit, 4);
    for (const slot of slots.slice(3)) slot.release();
    const again = take(limiter, 4);
    again[0].rateLimited();
    assert.equal(limiter.limit, 2);
    for (const slot of again.slice(1)) slot.release();
    const pair = take(limiter, 2);
    pair[0].rateLimited();
    pair[1].release();
    const alone = take(limiter, 1)[0];
    // One in flight and still refused: our concurrency does not explain it, and 1 is the floor.
    assert.equal(alone.rateLimited(), false);
    assert.equal(limiter.limit, 1);
  });

  it('starts unlimited without a ceiling; its first rate limit sets half of what was in flight', () => {
    const limiter = new ConcurrencyLimiter();
    assert.equal(limiter.limit, Number.POSITIVE_INFINITY);
    const slots = take(limiter, 16);
    assert.equal(slots[15].rateLimited(), true);
    assert.equal(limiter.limit, 8);
    const single = new ConcurrencyLimiter();
    assert.equal(take(single, 1)[0].rateLimited(), false, 'one request alone refused is not our concurrency');
    assert.equal(single.limit, 1);
  });

  it('grows by one per round of successes (as many as the limit), up to the ceiling', () => {
    const limiter = new ConcurrencyLimiter(4);
    const [refused, ...others] = take(limiter, 4);
    refused.rateLimited();
    for (const slot of others) slot.release();
    assert.equal(limiter.limit, 2);
    const grow = () => take(limiter, 1)[0].succeeded();
    grow();
    assert.equal(limiter.limit, 2, 'one success of a round of two');
    grow();
    assert.equal(limiter.limit, 3);
    for (let round = 0; round < 3; round++) grow();
    assert.equal(limiter.limit, 4);
    for (let round = 0; round < 20; round++) grow();
    assert.equal(limiter.limit, 4, 'never past the ceiling');
  });

  it('ends a slot once: a second end changes nothing', () => {
    const limiter = new ConcurrencyLimiter(2);
    const [slot] = take(limiter, 1);
    slot.release();
    slot.release();
    slot.succeeded();
    assert.equal(limiter.active, 0);
    assert.equal(limiter.limit, 2);
  });

  it('leaves the queue without a slot when giveUp says another model can answer, and the next in line moves up', async () => {
    const limiter = new ConcurrencyLimiter(1);
    const [held] = take(limiter, 1);
    let otherFree = false;
    const signal = new AbortController().signal;
    const leaving = limiter.acquire({ signal, patienceMs: 20, giveUp: () => otherFree });
    const staying = limiter.acquire({ signal, patienceMs: 20, giveUp: never });
    await new Promise((resolve) => setTimeout(resolve, 60));
    otherFree = true;
    assert.equal(await leaving, undefined);
    held.release();
    const slot = await staying;
    assert.ok(slot);
    assert.equal(limiter.active, 1);
  });

  it('stops waiting when the request is cancelled, with the signal’s reason', async () => {
    const limiter = new ConcurrencyLimiter(1);
    take(limiter, 1);
    const controller = new AbortController();
    const waiting = limiter.acquire({ signal: controller.signal, patienceMs: 10_000, giveUp: never });
    controller.abort(new Error('cancelled by the user'));
    await assert.rejects(waiting, /cancelled by the user/);
    await assert.rejects(limiter.acquire({ signal: controller.signal, patienceMs: 10_000, giveUp: never }), /cancelled by the user/);
  });

  it('takes a new ceiling from a changed config', () => {
    const limiter = new ConcurrencyLimiter(1);
    take(limiter, 1);
    limiter.setCeiling(3);
    assert.equal(limiter.limit, 3);
    assert.ok(limiter.tryAcquire());
  });
});
