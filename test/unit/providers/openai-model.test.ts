// The OpenAI adapter against a fake server speaking the real wire format.
import assert from 'node:assert/strict';
import { collect, failure, streamedText } from '../../helpers/provider-calls';
import { ProviderError } from '../../../server/src/providers/provider-error';
import { ERROR_RESPONSES } from '../../fixtures/providers/error-responses';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { OpenAiModel, type OpenAiSettings } from '../../../server/src/providers/openai/openai-model';

const KEY = 'fake-openai-key-0123456789';

function modelFor(fake: FakeOpenAi, overrides: Partial<OpenAiSettings> = {}): OpenAiModel {
  return new OpenAiModel({ provider: 'openai', baseUrl: fake.baseUrl, apiKey: KEY, authType: undefined, org: undefined, headers: {}, timeouts: { connectMs: 2000, firstByteMs: 2000, idleMs: 2000 }, ...overrides }, 'gpt-4.1-mini');
}

const call = (overrides: { maxTokens?: number; temperature?: number } = {}) => ({
  messages: [{ role: 'system' as const, content: 'You are terse.' }, { role: 'user' as const, content: 'Name a prime.' }],
  maxTokens: overrides.maxTokens,
  temperature: overrides.temperature,
  signal: AbortSignal.timeout(10_000),
});


describe('OpenAI adapter', () => {
  let fake: FakeOpenAi;
  beforeEach(async () => (fake = await FakeOpenAi.start()));
  afterEach(() => fake.stop());

  it('sends the documented request, with the configured max_tokens and temperature, and reads the answer and usage', async () => {
    fake.reply({ kind: 'answer', text: '7', usage: { prompt: 21, completion: 2, cached: 5, reasoning: 1 } });
    const result = await modelFor(fake, { org: 'org-1' }).generate(call({ maxTokens: 256, temperature: 0.2 }));
    assert.deepEqual(result, { text: '7', finishReason: 'stop', rawFinishReason: 'stop', usage: { inputTokens: 21, cachedInputTokens: 5, outputTokens: 2, reasoningTokens: 1 } });
    const [request] = fake.requests;
    assert.equal(request.url, '/v1/chat/completions');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['openai-organization'], 'org-1');
    assert.deepEqual(request.body, { model: 'gpt-4.1-mini', messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Name a prime.' }], max_completion_tokens: 256, temperature: 0.2 });
  });

  it('streams text deltas and ends with the finish reason and the usage chunk', async () => {
    fake.reply({ kind: 'answer', text: 'Seven is prime.', finishReason: 'length', usage: { prompt: 21, completion: 3 } });
    const events = await collect(modelFor(fake).stream(call()));
    assert.equal(streamedText(events), 'Seven is prime.');
    assert.deepEqual(events.at(-1), { type: 'end', finishReason: 'length', rawFinishReason: 'length', usage: { inputTokens: 21, cachedInputTokens: 0, outputTokens: 3, reasoningTokens: 0 } });
    assert.deepEqual(fake.requests[0].body?.stream_options, { include_usage: true });
  });

  it('sends a shared prefix as its own message without our cache flag, and reads the cached tokens of a streamed answer', async () => {
    fake.reply({ kind: 'answer', text: 'Done.', usage: { prompt: 3000, completion: 2, cached: 2048 } });
    const messages = [{ role: 'system' as const, content: 'You are terse.' }, { role: 'user' as const, content: 'The shared part.', cacheBreakpoint: true }, { role: 'user' as const, content: 'Your subtask (1 of 2).' }];
    const events = await collect(modelFor(fake).stream({ messages, maxTokens: undefined, temperature: undefined, signal: AbortSignal.timeout(10_000) }));
    assert.deepEqual(events.at(-1), { type: 'end', finishReason: 'stop', rawFinishReason: 'stop', usage: { inputTokens: 3000, cachedInputTokens: 2048, outputTokens: 2, reasoningTokens: 0 } });
    // OpenAI caches the prefix on its own; an unknown field would be refused.
    assert.deepEqual(fake.requests[0].body?.messages, [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'The shared part.' }, { role: 'user', content: 'Your subtask (1 of 2).' }]);
  });

  it('classifies every documented OpenAI error response', async () => {
    for (const response of ERROR_RESPONSES.filter((candidate) => candidate.provider === 'openai')) {
      fake.reply({ kind: 'error', status: response.status, body: response.body, headers: response.headers });
      const error = await failure(modelFor(fake).generate(call()));
      assert.equal(error.errorClass, response.expected.errorClass, response.name);
      assert.equal(error.classification.action, response.expected.action, response.name);
      assert.equal(error.status, response.status);
    }
  });

  it('reports a stream cut before [DONE], or inside an event, as truncated', async () => {
    fake.reply({ kind: 'stream-cut', afterChunks: 3 }, { kind: 'stream-cut', afterChunks: 3, midEvent: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failure(collect(modelFor(fake).stream(call())));
      assert.equal(error.errorClass, 'truncated_stream');
    }
  });

  it('classifies an error event inside a 200 stream', async () => {
    fake.reply({ kind: 'stream-error', afterChunks: 2, error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } });
    const error = await failure(collect(modelFor(fake).stream(call())));
    assert.deepEqual([error.errorClass, error.classification.action], ['server', 'retry']);
  });

  it('times out a server that never answers, and one that stalls mid-stream', async () => {
    fake.reply({ kind: 'hang' }, { kind: 'stall', afterChunks: 2 });
    const timeouts = { connectMs: 1000, firstByteMs: 300, idleMs: 300 };
    assert.equal((await failure(modelFor(fake, { timeouts }).generate(call()))).errorClass, 'timeout');
    assert.equal((await failure(collect(modelFor(fake, { timeouts }).stream(call())))).errorClass, 'timeout');
  });

  it('reports a refused connection as a network error', async () => {
    const model = modelFor(fake);
    await fake.stop();
    const error = await failure(model.generate(call()));
    assert.equal(error.errorClass, 'network');
    assert.match(error.message, /^openai: connection refused/);
    fake = await FakeOpenAi.start();
  });

  it('reports a connection reset before the answer, and one in the middle of a stream, as a retryable network error', async () => {
    fake.reply({ kind: 'reset', afterChunks: 0 });
    const before = await failure(modelFor(fake).generate(call()));
    assert.deepEqual([before.errorClass, before.classification.action], ['network', 'retry']);
    fake.reply({ kind: 'reset', afterChunks: 3 });
    const events: unknown[] = [];
    const midStream = await failure(
      (async () => {
        for await (const event of modelFor(fake).stream(call())) events.push(event);
      })(),
    );
    assert.deepEqual([midStream.errorClass, midStream.classification.action], ['network', 'retry']);
    assert.equal(streamedText(events as never), 'one two ', 'the text before the reset arrived; the router decides what to do with it');
    assert.doesNotMatch(midStream.message, new RegExp(KEY));
  });

  it('passes cancellation through as an abort, not a provider error', async () => {
    fake.reply({ kind: 'hang' });
    const controller = new AbortController();
    const pending = modelFor(fake).generate({ ...call(), signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, (error: unknown) => !ProviderError.isInstance(error) && (error as Error).name === 'AbortError');
  });

  it('keeps the key out of error messages, even when the server echoes it', async () => {
    fake.reply({ kind: 'error', status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }) });
    const error = await failure(modelFor(fake).generate(call()));
    assert.ok(!error.message.includes(KEY) && !error.message.includes('0123456789'), error.message);
    assert.equal(error.errorClass, 'auth');
  });
});
