import assert from 'node:assert/strict';
import { endpointFor, MAX_BODY_BYTES, readText, type HttpResponse } from '../../../server/src/providers/http';
import { ProviderError } from '../../../server/src/providers/provider-error';

/** A body of `total` bytes in 1 MB chunks, counting what was read of it. */
function body(total: number) {
  let read = 0;
  let destroyed = false;
  return {
    read: () => read,
    destroyed: () => destroyed,
    response: {
      status: 200,
      headers: {},
      body: {
        async *[Symbol.asyncIterator]() {
          while (read < total && !destroyed) {
            const size = Math.min(1024 * 1024, total - read);
            read += size;
            yield Buffer.alloc(size, 'a');
          }
        },
        destroy: () => (destroyed = true),
      },
    } as unknown as HttpResponse,
  };
}

describe('a whole answer body', () => {
  const endpoint = endpointFor('big', 'openai', 'sk-test-0000', {}, { connectMs: 1000, firstByteMs: 1000, idleMs: 1000 });

  it('is read whole up to the bound', async () => {
    const small = body(3 * 1024 * 1024);
    assert.equal((await readText(endpoint, small.response, new AbortController().signal)).length, 3 * 1024 * 1024);
  });

  it('past the bound is not read further: a malformed answer the next model is asked instead of', async () => {
    const huge = body(100 * 1024 * 1024);
    await assert.rejects(readText(endpoint, huge.response, new AbortController().signal), (error: unknown) => {
      assert.ok(ProviderError.isInstance(error));
      assert.deepEqual([error.errorClass, error.classification.action], ['server', 'fallback']);
      assert.match(error.message, /the body passed 32 MB and was not read further/);
      return true;
    });
    assert.ok(huge.read() <= MAX_BODY_BYTES + 1024 * 1024 && huge.destroyed());
  });
});
