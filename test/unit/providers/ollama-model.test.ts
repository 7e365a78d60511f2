// The Ollama adapter against a fake server speaking the native wire format.
import assert from 'node:assert/strict';
import { collect, failure, streamedText } from '../../helpers/provider-calls';
import { ERROR_RESPONSES } from '../../fixtures/providers/error-responses';
import { FakeOllama } from '../../helpers/fake-ollama';
import { OllamaModel, type OllamaSettings } from '../../../server/src/providers/ollama/ollama-model';
import { ContextLengths, FALLBACK_NUM_CTX } from '../../../server/src/providers/ollama/context-lengths';

function modelFor(fake: FakeOllama, overrides: Partial<OllamaSettings> = {}, contextWindow: number | undefined = 32768): OllamaModel {
  return new OllamaModel({ provider: 'ollama', baseUrl: fake.origin, apiKey: undefined, authType: undefined, headers: {}, timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 }, ...overrides }, 'llama3.2', contextWindow, new ContextLengths());
}

/** A model whose alias sets no context_window, sharing `lengths` as the process's adapters share theirs. */
function windowFromServer(fake: FakeOllama, lengths: ContextLengths, modelId = 'llama3.2'): OllamaModel {
  return new OllamaModel({ provider: 'ollama', baseUrl: fake.origin, apiKey: undefined, authType: undefined, headers: {}, timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 } }, modelId, undefined, lengths);
}

const chatRequests = (fake: FakeOllama) => fake.requests.filter((request) => request.url === '/api/chat');
const showRequests = (fake: FakeOllama) => fake.requests.filter((request) => request.url === '/api/show');

const call = (maxTokens?: number) => ({ messages: [{ role: 'user' as const, content: 'Name a prime.' }], maxTokens, temperature: 0.2, signal: AbortSignal.timeout(10_000) });


describe('Ollama adapter', () => {
  let fake: FakeOllama;
  beforeEach(async () => (fake = await FakeOllama.start()));
  afterEach(() => fake.stop());

  it('always sends num_ctx, and puts the output cap and temperature inside options', async () => {
    fake.reply({ kind: 'answer', text: '7', promptEvalCount: 26, evalCount: 2 });
    const result = await modelFor(fake).generate(call(256));
    assert.deepEqual(result, { text: '7', finishReason: 'stop', rawFinishReason: 'stop', usage: { inputTokens: 26, cachedInputTokens: undefined, outputTokens: 2, reasoningTokens: undefined } });
    assert.equal(fake.requests[0].url, '/api/chat');
    assert.deepEqual(fake.requests[0].body, { model: 'llama3.2', messages: [{ role: 'user', content: 'Name a prime.' }], stream: false, options: { num_ctx: 32768, num_predict: 256, temperature: 0.2 } });
    assert.equal(fake.requests[0].headers.authorization, undefined);
    assert.equal(fake.requests[0].headers['content-type'], 'application/json');
  });

  it('streams NDJSON to text deltas and an end with usage; a missing prompt count stays unknown', async () => {
    fake.reply({ kind: 'answer', text: 'Seven is prime.', promptEvalCount: undefined, evalCount: 3 });
    const events = await collect(modelFor(fake).stream(call()));
    assert.equal(streamedText(events), 'Seven is prime.');
    assert.deepEqual(events.at(-1), { type: 'end', finishReason: 'stop', rawFinishReason: 'stop', usage: { inputTokens: undefined, cachedInputTokens: undefined, outputTokens: 3, reasoningTokens: undefined } });
    assert.equal(fake.requests[0].body?.stream, true);
  });

  it('reports a prompt Ollama silently cut to num_ctx as context overflow, plain and streamed', async () => {
    // About 3,000 tokens of prompt into a 2,048-token window; the fake, like Ollama, reports the count capped at num_ctx.
    const long = { ...call(), messages: [{ role: 'user' as const, content: 'word '.repeat(2400) }] };
    fake.reply({ kind: 'answer', text: 'An answer to half a question.', promptEvalCount: 3000, evalCount: 7 }, { kind: 'answer', text: 'An answer to half a question.', promptEvalCount: 3000, evalCount: 7 });
    const plain = await failure(modelFor(fake, {}, 2048).generate(long));
    assert.equal(plain.errorClass, 'context_overflow');
    assert.equal(plain.classification.action, 'fallback');
    assert.match(plain.message, /the prompt \(about 3004 tokens\) did not fit num_ctx 2048: Ollama kept 2048 tokens of it, dropped the rest and answered anyway, so a model with a bigger window must answer/);
    assert.deepEqual(plain.usage, { inputTokens: 2048, cachedInputTokens: undefined, outputTokens: 7, reasoningTokens: undefined });
    const streamed = await failure(collect(modelFor(fake, {}, 2048).stream(long)));
    assert.equal(streamed.errorClass, 'context_overflow');
    // A prompt that fits is counted in full and is not mistaken for a cut one, even in a small window.
    fake.reply({ kind: 'answer', text: 'Fine.', promptEvalCount: 1900, evalCount: 2 });
    assert.equal((await modelFor(fake, {}, 2048).generate({ ...call(), messages: [{ role: 'user', content: 'word '.repeat(1500) }] })).text, 'Fine.');
  });

  it('sends the model’s own context length from /api/show when the alias sets none, asking once per model', async () => {
    const lengths = new ContextLengths();
    fake.shown.set('qwen2.5-coder:7b', { architecture: 'qwen2', contextLength: 32768 });
    await windowFromServer(fake, lengths).generate(call());
    await collect(windowFromServer(fake, lengths).stream(call()));
    await windowFromServer(fake, lengths, 'qwen2.5-coder:7b').generate(call());
    await windowFromServer(fake, lengths, 'qwen2.5-coder:7b').generate(call());
    assert.deepEqual(showRequests(fake).map((request) => request.body), [{ model: 'llama3.2' }, { model: 'qwen2.5-coder:7b' }]);
    assert.deepEqual(chatRequests(fake).map((request) => (request.body?.options as { num_ctx?: number }).num_ctx), [131072, 131072, 32768, 32768]);
    // An alias's context_window wins, and then the server is not asked.
    await modelFor(fake, {}, 8192).generate(call());
    assert.equal(showRequests(fake).length, 2);
    assert.equal((chatRequests(fake).at(-1)?.body?.options as { num_ctx?: number }).num_ctx, 8192);
  });

  it('falls back to num_ctx 4096 when /api/show cannot say, and still sees a prompt cut to that', async () => {
    assert.equal(FALLBACK_NUM_CTX, 4096);
    const lengths = new ContextLengths();
    fake.shown.set('no-length', { architecture: 'llama', contextLength: undefined });
    // Not pulled (404): the model's own answer decides what happens next; a model without a length.
    for (const modelId of ['not-pulled', 'no-length']) {
      fake.reply({ kind: 'answer', text: 'ok', promptEvalCount: 10, evalCount: 1 });
      await windowFromServer(fake, lengths, modelId).generate(call());
    }
    assert.deepEqual(chatRequests(fake).map((request) => (request.body?.options as { num_ctx?: number }).num_ctx), [4096, 4096]);
    fake.reply({ kind: 'answer', text: 'Half an answer.', promptEvalCount: 9000, evalCount: 3 });
    const cut = await failure(windowFromServer(fake, lengths, 'no-length').generate({ ...call(), messages: [{ role: 'user', content: 'word '.repeat(7000) }] }));
    assert.deepEqual([cut.errorClass, cut.classification.action], ['context_overflow', 'fallback']);
    assert.match(cut.message, /did not fit num_ctx 4096: Ollama kept 4096 tokens/);
    // Neither is asked again: the answers stand for the process.
    assert.equal(showRequests(fake).length, 2);
  });

  it('asks /api/show again after a passing failure (a 5xx), but not after a lasting one', async () => {
    const lengths = new ContextLengths();
    fake.shown.set('llama3.2', { status: 503, body: JSON.stringify({ error: 'server busy, please try again.  maximum pending requests exceeded' }) });
    await windowFromServer(fake, lengths).generate(call());
    fake.shown.set('llama3.2', { architecture: 'llama', contextLength: 131072 });
    await windowFromServer(fake, lengths).generate(call());
    await windowFromServer(fake, lengths).generate(call());
    assert.equal(showRequests(fake).length, 2);
    assert.deepEqual(chatRequests(fake).map((request) => (request.body?.options as { num_ctx?: number }).num_ctx), [4096, 131072, 131072]);
  });

  it('sees a cut prompt even when our estimate runs low (CJK text counts more tokens than we guess)', async () => {
    // About 1,500 estimated tokens; Ollama counted the prompt at the full 2,048 window.
    fake.reply({ kind: 'answer', text: '半分の答え。', promptEvalCount: 5000, evalCount: 3 });
    const error = await failure(modelFor(fake, {}, 2048).generate({ ...call(), messages: [{ role: 'user', content: '漢'.repeat(2000) }] }));
    assert.equal(error.errorClass, 'context_overflow');
    assert.match(error.message, /^ollama: the prompt did not fit num_ctx 2048/);
  });

  it('reads done_reason length without an output cap as a filled context window', async () => {
    fake.reply({ kind: 'answer', text: 'cut', doneReason: 'length', evalCount: 1 }, { kind: 'answer', text: 'cut', doneReason: 'length', evalCount: 1 });
    assert.equal((await modelFor(fake).generate(call())).finishReason, 'context_overflow');
    assert.equal((await modelFor(fake).generate(call(1))).finishReason, 'length');
  });

  it('sends a bearer key for Ollama cloud', async () => {
    await modelFor(fake, { apiKey: 'ollama-cloud-key-123', authType: 'bearer' }).generate(call());
    assert.equal(fake.requests[0].headers.authorization, 'Bearer ollama-cloud-key-123');
  });

  it('classifies every documented Ollama error response', async () => {
    for (const response of ERROR_RESPONSES.filter((candidate) => candidate.provider === 'ollama')) {
      fake.reply({ kind: 'error', status: response.status, body: response.body });
      const error = await failure(modelFor(fake).generate(call()));
      assert.deepEqual([error.errorClass, error.classification.action], [response.expected.errorClass, response.expected.action], response.name);
    }
  });

  it('treats an in-stream error line as a server error, and a cut stream as truncated', async () => {
    fake.reply({ kind: 'stream-error', afterLines: 2, error: 'an error was encountered while running the model: unexpected EOF' }, { kind: 'stream-cut', afterLines: 2 }, { kind: 'stream-cut', afterLines: 2, midLine: true });
    const inStream = await failure(collect(modelFor(fake).stream(call())));
    assert.deepEqual([inStream.errorClass, inStream.classification.action], ['server', 'retry']);
    assert.match(inStream.message, /unexpected EOF/);
    assert.equal((await failure(collect(modelFor(fake).stream(call())))).errorClass, 'truncated_stream');
    assert.equal((await failure(collect(modelFor(fake).stream(call())))).errorClass, 'truncated_stream');
  });

  it('falls back at once when nothing listens: Ollama is not running', async () => {
    const model = modelFor(fake);
    await fake.stop();
    const error = await failure(model.generate(call()));
    assert.deepEqual([error.errorClass, error.classification.action], ['network', 'fallback']);
    assert.match(error.message, /is Ollama running\?/);
    fake = await FakeOllama.start();
  });
});
