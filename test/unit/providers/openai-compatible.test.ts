// The `openai-compatible` provider type against a fake speaking OpenAI's format with the quirks of
// vLLM, LM Studio, OpenRouter, Groq and Ollama's /v1; and how any OpenAI answer with nothing to read fails.
import assert from 'node:assert/strict';
import { OpenAiModel, type OpenAiSettings } from '../../../server/src/providers/openai/openai-model';
import { FakeOpenAi, type CompatibleQuirks } from '../../helpers/fake-openai';
import { collect, failure, streamedText } from '../../helpers/provider-calls';

function compatibleModel(fake: FakeOpenAi, overrides: Partial<OpenAiSettings> = {}): OpenAiModel {
  return new OpenAiModel({ provider: 'local', baseUrl: fake.baseUrl, apiKey: undefined, authType: undefined, org: undefined, headers: {}, timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 }, ...overrides }, 'qwen2.5-coder', 'openai-compatible');
}

const call = (maxTokens?: number) => ({ messages: [{ role: 'user' as const, content: 'Name a prime.' }], maxTokens, temperature: 0.2, signal: AbortSignal.timeout(10_000) });

async function withFake(quirks: CompatibleQuirks, body: (fake: FakeOpenAi) => Promise<void>): Promise<void> {
  const fake = await FakeOpenAi.start(quirks);
  try {
    await body(fake);
  } finally {
    await fake.stop();
  }
}

describe('openai-compatible adapter', () => {
  it('sends max_tokens (not max_completion_tokens), and reports its own provider type', async () => {
    await withFake({}, async (fake) => {
      const model = compatibleModel(fake);
      await model.generate(call(128));
      await collect(model.stream(call(64)));
      assert.equal(model.providerType, 'openai-compatible');
      assert.equal(fake.requests[0].body?.max_tokens, 128);
      assert.equal(fake.requests[1].body?.max_tokens, 64);
      for (const request of fake.requests) assert.equal(request.body?.max_completion_tokens, undefined);
      // No key configured: no Authorization header at all.
      assert.equal(fake.requests[0].headers.authorization, undefined);
    });
  });

  it('reads a stream with keep-alive comments, data: without a space, an empty-choices chunk, role in every delta and extra fields', async () => {
    const quirks: CompatibleQuirks = { keepAliveComments: true, noSpaceAfterData: true, emptyChoicesChunk: true, roleInEveryDelta: true, extraFields: { provider: 'Together', system_fingerprint: 'fp_ollama' } };
    await withFake(quirks, async (fake) => {
      fake.reply({ kind: 'answer', text: 'Seven is prime.', usage: { prompt: 12, completion: 4 } });
      const events = await collect(compatibleModel(fake).stream(call()));
      assert.equal(streamedText(events), 'Seven is prime.');
      assert.deepEqual(events.at(-1), { type: 'end', finishReason: 'stop', rawFinishReason: 'stop', usage: { inputTokens: 12, cachedInputTokens: 0, outputTokens: 4, reasoningTokens: 0 } });
    });
  });

  it('takes usage from the finish chunk, from x_groq, or from the usage chunk with plain counts', async () => {
    const cases: [CompatibleQuirks, number][] = [
      [{ usage: 'final-chunk' }, 30],
      [{ usage: 'x_groq' }, 31],
      [{ usage: 'documented', plainUsage: true }, 32],
    ];
    for (const [quirks, prompt] of cases) {
      await withFake(quirks, async (fake) => {
        fake.reply({ kind: 'answer', text: 'Seven.', finishReason: 'length', usage: { prompt, completion: 2 } });
        const end = (await collect(compatibleModel(fake).stream(call(2)))).at(-1);
        assert.equal(end?.type === 'end' && end.usage.inputTokens, prompt, JSON.stringify(quirks));
        assert.equal(end?.type === 'end' && end.usage.outputTokens, 2, JSON.stringify(quirks));
        assert.equal(end?.type === 'end' && end.finishReason, 'length');
      });
    }
  });

  it('leaves usage unknown, never zero, when the server sends none, streamed or not', async () => {
    await withFake({ usage: 'none' }, async (fake) => {
      fake.reply({ kind: 'answer', text: 'Seven.', usage: { prompt: 9, completion: 2 } }, { kind: 'answer', text: 'Seven.', usage: { prompt: 9, completion: 2 } });
      const model = compatibleModel(fake);
      const plain = await model.generate(call());
      assert.equal(plain.text, 'Seven.');
      assert.deepEqual(plain.usage, { inputTokens: undefined, cachedInputTokens: undefined, outputTokens: undefined, reasoningTokens: undefined });
      const end = (await collect(model.stream(call()))).at(-1);
      assert.deepEqual(end, { type: 'end', finishReason: 'stop', rawFinishReason: 'stop', usage: { inputTokens: undefined, cachedInputTokens: undefined, outputTokens: undefined, reasoningTokens: undefined } });
    });
  });

  it('classifies a context overflow that compatible servers send with code null by its words', async () => {
    await withFake({}, async (fake) => {
      // vLLM's own shape: the fields at the top level.
      const vllm = { object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4900 in the messages, 100 in the completion). Please reduce the length of the messages or completion.", type: 'BadRequestError', param: null, code: 400 };
      const llamaCpp = { error: { code: 400, message: 'request (9000 tokens) exceeds the available context size (8192 tokens), try increasing it', type: 'exceed_context_size_error' } };
      fake.reply({ kind: 'error', status: 400, body: JSON.stringify(vllm) }, { kind: 'error', status: 400, body: JSON.stringify(llamaCpp) });
      for (const words of [/maximum context length is 4096/, /exceeds the available context size/]) {
        const error = await failure(compatibleModel(fake).generate(call()));
        assert.deepEqual([error.errorClass, error.classification.action], ['context_overflow', 'fallback']);
        assert.match(error.message, words);
      }
    });
  });

  it('fails an answer with no choices with a clear message, for openai and openai-compatible alike', async () => {
    await withFake({}, async (fake) => {
      fake.reply({ kind: 'empty-choices' }, { kind: 'empty-choices' });
      const openai = new OpenAiModel({ provider: 'openai', baseUrl: fake.baseUrl, apiKey: 'k-0123456789', authType: undefined, org: undefined, headers: {}, timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 } }, 'gpt-4.1-mini');
      for (const model of [openai, compatibleModel(fake)]) {
        const error = await failure(model.generate(call()));
        assert.match(error.message, /no choices, so there is no text to read/);
        assert.equal(error.errorClass, 'server');
      }
    });
  });

  it('reads an error object in a 200 body (OpenRouter) as the error its code names', async () => {
    await withFake({}, async (fake) => {
      fake.reply({ kind: 'error-in-200', error: { code: 502, message: 'Provider returned error', metadata: { provider_name: 'Lambda' } } }, { kind: 'error-in-200', error: { code: 429, message: 'Rate limit exceeded: free-models-per-min.' } });
      const model = compatibleModel(fake);
      const upstream = await failure(model.generate(call()));
      assert.deepEqual([upstream.errorClass, upstream.status], ['server', 200]);
      assert.match(upstream.message, /Provider returned error/);
      assert.equal((await failure(model.generate(call()))).errorClass, 'rate_limit');
    });
  });
});
