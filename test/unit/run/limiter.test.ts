import assert from 'node:assert/strict';
import { Limiter } from '../../../server/src/run/limiter';

/** A promise with its resolve and reject at hand. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the worker limiter', () => {
  it('never runs more than N tasks at once, and starts them in the order offered', async () => {
    const limiter = new Limiter(3);
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const gates = Array.from({ length: 10 }, () => deferred());
    const results = gates.map((gate, i) =>
      limiter.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
        return i * 10;
      }),
    );
    await settle();
    assert.deepEqual(started, [0, 1, 2]);
    // Finish them out of order; each freed slot goes to the next in line.
    gates[1].resolve();
    await settle();
    assert.deepEqual(started, [0, 1, 2, 3]);
    // A task offered now waits behind those already waiting.
    const late = deferred();
    const lateResult = limiter.run(async () => {
      started.push(99);
      await late.promise;
      return 990;
    });
    gates[0].resolve();
    gates[3].resolve();
    await settle();
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5]);
    for (const gate of gates) gate.resolve();
    late.resolve();
    assert.deepEqual(await Promise.all(results), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    assert.equal(await lateResult, 990);
    assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 99]);
    assert.equal(most, 3);
  });

  it('frees the slot of a task that throws and hands its error to its caller', async () => {
    const limiter = new Limiter(1);
    const order: string[] = [];
    const failing = limiter.run(async () => {
      order.push('fails');
      await settle();
      throw new Error('model down');
    });
    const next = limiter.run(async () => {
      order.push('next');
      return 'ok';
    });
    await assert.rejects(failing, /model down/);
    assert.equal(await next, 'ok');
    // A task that throws before its first await frees its slot as well.
    await assert.rejects(
      limiter.run(() => {
        throw new TypeError('at once');
      }),
      TypeError,
    );
    assert.equal(await limiter.run(async () => 'still free'), 'still free');
    assert.deepEqual(order, ['fails', 'next']);
  });
});
