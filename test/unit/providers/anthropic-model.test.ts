// The Anthropic adapter against a fake server speaking the real wire format.
import assert from 'node:assert/strict';
import { collect, failure, streamedText } from '../../helpers/provider-calls';
import { ERROR_RESPONSES } from '../../fixtures/providers/error-responses';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { AnthropicModel, type AnthropicSettings } from '../../../server/src/providers/anthropic/anthropic-model';

const KEY = 'fake-anthropic-key-0123456789';

function modelFor(fake: FakeAnthropic, overrides: Partial<AnthropicSettings> = {}): AnthropicModel {
  return new AnthropicModel({ provider: 'claude', baseUrl: fake.origin, apiKey: KEY, authType: undefined, headers: {}, timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 }, ...overrides }, 'claude-sonnet-4-5');
}

const call = (maxTokens?: number) => ({ messages: [{ role: 'system' as const, content: 'You are terse.' }, { role: 'user' as const, content: 'Name a prime.' }], maxTokens, temperature: undefined, signal: AbortSignal.timeout(10_000) });


describe('Anthropic adapter', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => (fake = await FakeAnthropic.start()));
  afterEach(() => fake.stop());

  it('sends the key, the version, a top-level system prompt and the configured max_tokens; skips thinking blocks', async () => {
    fake.reply({ kind: 'answer', text: '7', input: 14, cacheRead: 100, cacheWrite: 20, output: 5 });
    const result = await modelFor(fake).generate(call(16000));
    assert.deepEqual(result, { text: '7', finishReason: 'stop', rawFinishReason: 'end_turn', usage: { inputTokens: 134, cachedInputTokens: 100, cacheWriteTokens: 20, outputTokens: 5, reasoningTokens: undefined } });
    const [request] = fake.requests;
    assert.equal(request.url, '/v1/messages');
    assert.equal(request.headers['x-api-key'], KEY);
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, { model: 'claude-sonnet-4-5', max_tokens: 16000, system: 'You are terse.', messages: [{ role: 'user', content: 'Name a prime.' }] });
  });

  it('streams named events to text deltas, with the final usage of message_delta', async () => {
    fake.reply({ kind: 'answer', text: 'Seven is prime.', stopReason: 'max_tokens', input: 14, output: 9 });
    const events = await collect(modelFor(fake).stream(call()));
    assert.equal(streamedText(events), 'Seven is prime.');
    assert.deepEqual(events.at(-1), { type: 'end', finishReason: 'length', rawFinishReason: 'max_tokens', usage: { inputTokens: 14, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 9, reasoningTokens: undefined } });
    assert.equal(fake.requests[0].body?.max_tokens, 8192, 'a visible default when nothing sets max_tokens');
  });

  it('classifies every documented Anthropic error response', async () => {
    for (const response of ERROR_RESPONSES.filter((candidate) => candidate.provider === 'anthropic')) {
      fake.reply({ kind: 'error', status: response.status, body: response.body, headers: response.headers });
      const error = await failure(modelFor(fake).generate(call()));
      assert.deepEqual([error.errorClass, error.classification.action], [response.expected.errorClass, response.expected.action], response.name);
    }
  });

  it('classifies an error event mid-stream, and a stream without message_stop as truncated', async () => {
    fake.reply({ kind: 'stream-error', afterEvents: 4, errorType: 'overloaded_error', message: 'Overloaded' }, { kind: 'stream-cut', afterEvents: 5 });
    const overloaded = await failure(collect(modelFor(fake).stream(call())));
    assert.deepEqual([overloaded.errorClass, overloaded.classification.action], ['overloaded', 'retry']);
    assert.equal((await failure(collect(modelFor(fake).stream(call())))).errorClass, 'truncated_stream');
  });
});
