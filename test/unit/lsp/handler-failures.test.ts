// A handler's unexpected failure: a plain InternalError for the client, the whole error (no secrets)
// for the log.
import assert from 'node:assert/strict';
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { answerCleanly } from '../../../server/src/lsp/handler-failures';

const ENVIRONMENT = { OPENAI_API_KEY: 'sk-live-0123456789abcdef', MY_TOKEN: 'hunter2-token', HOME: '/home/me' };

async function failure(handler: () => unknown): Promise<{ error: ResponseError<unknown>; log: string[] }> {
  const log: string[] = [];
  const answer = answerCleanly((text) => log.push(text), () => ENVIRONMENT);
  try {
    await answer('electrictown/run', handler)();
  } catch (error) {
    assert.ok(error instanceof ResponseError);
    return { error, log };
  }
  throw new Error('the handler did not fail');
}

describe('unexpected failures of a handler', () => {
  it('reach the client as an InternalError naming only the method, and the log whole but without secrets', async () => {
    const { error, log } = await failure(() => {
      const missing: { task?: { trim(): string } } = {};
      return missing.task!.trim();
    });
    assert.equal(error.code, ErrorCodes.InternalError);
    assert.equal(error.message, "electrictown/run failed: an unexpected error in the server (details are in the server's log)");
    assert.equal(log.length, 1);
    assert.match(log[0], /^electrictown\/run failed unexpectedly: TypeError: Cannot read properties of undefined/);
    assert.match(log[0], /handler-failures\.test\.ts/);

    const leaky = await failure(async () => {
      throw new Error(`connect failed for sk-live-0123456789abcdef with hunter2-token at https://x/?key=AIzaSyA-secret-value`);
    });
    assert.doesNotMatch(leaky.error.message, /sk-live|hunter2|AIza/);
    assert.doesNotMatch(leaky.log[0], /sk-live|hunter2|AIza/);
    assert.match(leaky.log[0], /connect failed for \[redacted\] with \[redacted\]/);
  });

  it('pass a ResponseError (an expected failure) unchanged, and results through', async () => {
    const { error, log } = await failure(() => {
      throw new ResponseError(ErrorCodes.InvalidParams, 'workers: must be at least 1', { field: 'workers' });
    });
    assert.deepEqual([error.code, error.message, error.data, log], [ErrorCodes.InvalidParams, 'workers: must be at least 1', { field: 'workers' }, []]);
    const answer = answerCleanly(() => assert.fail('nothing to log'), () => ENVIRONMENT);
    assert.equal(await answer('m', (value: number) => value * 2)(21), 42);
  });
});
