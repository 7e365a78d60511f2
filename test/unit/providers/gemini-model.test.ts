// The Gemini adapter against a fake server speaking the real wire format.
import assert from 'node:assert/strict';
import { collect, failure, streamedText } from '../../helpers/provider-calls';
import { ERROR_RESPONSES } from '../../fixtures/providers/error-responses';
import { FakeGemini } from '../../helpers/fake-gemini';
import { GeminiModel, type GeminiSettings } from '../../../server/src/providers/gemini/gemini-model';

const KEY = 'AIzaSyTest-0123456789abcdefghij';

function modelFor(fake: FakeGemini, overrides: Partial<GeminiSettings> = {}): GeminiModel {
  return new GeminiModel({ provider: 'gemini', baseUrl: `${fake.origin}/v1beta`, apiKey: KEY, authType: undefined, headers: {}, timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 }, ...overrides }, 'gemini-2.5-flash');
}

const call = () => ({ messages: [{ role: 'system' as const, content: 'You are terse.' }, { role: 'user' as const, content: 'Name a prime.' }, { role: 'assistant' as const, content: '7' }, { role: 'user' as const, content: 'Another.' }], maxTokens: 256, temperature: 0.2, signal: AbortSignal.timeout(10_000) });


describe('Gemini adapter', () => {
  let fake: FakeGemini;
  beforeEach(async () => (fake = await FakeGemini.start()));
  afterEach(() => fake.stop());

  it('sends systemInstruction, user/model roles and generationConfig, with the key in a header', async () => {
    fake.reply({ kind: 'answer', text: '11', prompt: 9, candidates: 1, thoughts: 140 });
    const result = await modelFor(fake).generate(call());
    assert.deepEqual(result, { text: '11', finishReason: 'stop', rawFinishReason: 'STOP', usage: { inputTokens: 9, cachedInputTokens: 0, outputTokens: 141, reasoningTokens: 140 } });
    const [request] = fake.requests;
    assert.equal(request.url, '/v1beta/models/gemini-2.5-flash:generateContent');
    assert.equal(request.headers['x-goog-api-key'], KEY);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, {
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Name a prime.' }] }, { role: 'model', parts: [{ text: '7' }] }, { role: 'user', parts: [{ text: 'Another.' }] }],
      generationConfig: { maxOutputTokens: 256, temperature: 0.2 },
    });
  });

  it('sends a shared prefix and what follows it as parts of one user turn, and reads what the implicit cache served', async () => {
    fake.reply({ kind: 'answer', text: 'Done.', prompt: 3000, candidates: 2, cached: 2048 }, { kind: 'answer', text: 'Done.', prompt: 3000, candidates: 2, cached: 2048 });
    const messages = [{ role: 'system' as const, content: 'You are terse.' }, { role: 'user' as const, content: 'The shared part.', cacheBreakpoint: true }, { role: 'user' as const, content: 'Your subtask (1 of 2).' }];
    const result = await modelFor(fake).generate({ messages, maxTokens: undefined, temperature: undefined, signal: AbortSignal.timeout(10_000) });
    assert.deepEqual(result.usage, { inputTokens: 3000, cachedInputTokens: 2048, outputTokens: 2, reasoningTokens: 0 });
    assert.deepEqual(fake.requests[0].body?.contents, [{ role: 'user', parts: [{ text: 'The shared part.' }, { text: 'Your subtask (1 of 2).' }] }]);
    assert.doesNotMatch(fake.requests[0].raw, /cache/i, 'the flag is ours, not the wire’s');
    const streamed = await collect(modelFor(fake).stream({ messages, maxTokens: undefined, temperature: undefined, signal: AbortSignal.timeout(10_000) }));
    assert.deepEqual(streamed.at(-1)?.type === 'end' && streamed.at(-1), { type: 'end', finishReason: 'stop', rawFinishReason: 'STOP', usage: { inputTokens: 3000, cachedInputTokens: 2048, outputTokens: 2, reasoningTokens: 0 } });
  });

  it('gives a bare-host base URL its /v1beta', async () => {
    await modelFor(fake, { baseUrl: fake.origin }).generate(call());
    assert.equal(fake.requests[0].url, '/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('streams CRLF-framed chunks, keeping the last cumulative usage', async () => {
    fake.reply({ kind: 'answer', text: 'Seven is prime.', prompt: 9, candidates: 4 });
    const events = await collect(modelFor(fake).stream(call()));
    assert.equal(streamedText(events), 'Seven is prime.');
    assert.deepEqual(events.at(-1), { type: 'end', finishReason: 'stop', rawFinishReason: 'STOP', usage: { inputTokens: 9, cachedInputTokens: 0, outputTokens: 4, reasoningTokens: 0 } });
    assert.equal(fake.requests[0].url, '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('reports a blocked prompt as a content filter stop', async () => {
    fake.reply({ kind: 'blocked', blockReason: 'SAFETY' });
    assert.deepEqual((await modelFor(fake).generate(call())).finishReason, 'content_filter');
  });

  it('classifies every documented Gemini error response, and keeps the key out of messages', async () => {
    for (const response of ERROR_RESPONSES.filter((candidate) => candidate.provider === 'gemini')) {
      fake.reply({ kind: 'error', status: response.status, body: response.body });
      const error = await failure(modelFor(fake).generate(call()));
      assert.deepEqual([error.errorClass, error.classification.action], [response.expected.errorClass, response.expected.action], response.name);
      assert.ok(!error.message.includes(KEY));
    }
  });

  it('classifies an in-stream error, and a stream that ends without a finishReason as truncated', async () => {
    fake.reply({ kind: 'stream-error', afterChunks: 2, error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }, { kind: 'stream-cut', afterChunks: 2 });
    const overloaded = await failure(collect(modelFor(fake).stream(call())));
    assert.deepEqual([overloaded.errorClass, overloaded.classification.action], ['overloaded', 'retry']);
    assert.equal((await failure(collect(modelFor(fake).stream(call())))).errorClass, 'truncated_stream');
  });
});
