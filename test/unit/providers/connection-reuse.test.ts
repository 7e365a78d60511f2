// Streamed calls keep their connection: after the final event the adapter reads the body to its end
// (servers often send that end a few ms later), within bounds, so undici can reuse the socket.
import assert from 'node:assert/strict';
import { AnthropicModel } from '../../../server/src/providers/anthropic/anthropic-model';
import { DRAIN_LIMITS } from '../../../server/src/providers/http';
import type { LanguageModel } from '../../../server/src/providers/language-model';
import { OllamaModel } from '../../../server/src/providers/ollama/ollama-model';
import { OpenAiModel } from '../../../server/src/providers/openai/openai-model';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { FakeOllama } from '../../helpers/fake-ollama';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { collect, streamedText } from '../../helpers/provider-calls';

const TIMEOUTS = { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 };
const call = () => ({ messages: [{ role: 'user' as const, content: 'Name a prime.' }], maxTokens: 64, temperature: undefined, signal: AbortSignal.timeout(10_000) });

async function streamSequentially(model: LanguageModel, calls: number): Promise<void> {
  for (let index = 0; index < calls; index++) {
    const events = await collect(model.stream(call()));
    assert.equal(events.at(-1)?.type, 'end');
  }
}

describe('connection reuse for streamed calls', () => {
  it('OpenAI: 20 sequential streams whose body ends a few ms after [DONE] use at most 2 connections', async () => {
    const fake = await FakeOpenAi.start();
    try {
      fake.respondWith(() => ({ kind: 'answer', text: 'Seven is prime.', usage: { prompt: 9, completion: 3 }, endDelayMs: 5 }));
      await streamSequentially(new OpenAiModel({ provider: 'openai', baseUrl: fake.baseUrl, apiKey: 'k-123456', authType: undefined, org: undefined, headers: {}, timeouts: TIMEOUTS }, 'gpt-4.1-mini'), 20);
      assert.ok(fake.connections <= 2, `${fake.connections} connections for 20 calls`);
    } finally {
      await fake.stop();
    }
  });

  it('Anthropic (after message_stop) and Ollama (after the done line) reuse theirs too', async () => {
    const anthropic = await FakeAnthropic.start();
    const ollama = await FakeOllama.start();
    try {
      anthropic.respondWith(() => ({ kind: 'answer', text: 'Seven is prime.', input: 9, output: 3, endDelayMs: 5 }));
      ollama.respondWith(() => ({ kind: 'answer', text: 'Seven is prime.', promptEvalCount: 9, evalCount: 3, endDelayMs: 5 }));
      await streamSequentially(new AnthropicModel({ provider: 'anthropic', baseUrl: anthropic.origin, apiKey: 'k-123456', authType: undefined, headers: {}, timeouts: TIMEOUTS }, 'claude-sonnet-4-5'), 20);
      await streamSequentially(new OllamaModel({ provider: 'ollama', baseUrl: ollama.origin, apiKey: undefined, authType: undefined, headers: {}, timeouts: TIMEOUTS }, 'llama3.2', 4096), 20);
      assert.ok(anthropic.connections <= 2, `anthropic: ${anthropic.connections} connections for 20 calls`);
      assert.ok(ollama.connections <= 2, `ollama: ${ollama.connections} connections for 20 calls`);
    } finally {
      await Promise.all([anthropic.stop(), ollama.stop()]);
    }
  });

  it('a body held open after the final event costs a call at most the drain bound, and the answer is whole', async () => {
    const fake = await FakeOpenAi.start();
    try {
      fake.reply({ kind: 'answer', text: 'Seven is prime.', usage: { prompt: 9, completion: 3 }, endDelayMs: 'never' }, { kind: 'answer', text: 'Eleven too.', usage: { prompt: 9, completion: 3 } });
      const model = new OpenAiModel({ provider: 'openai', baseUrl: fake.baseUrl, apiKey: 'k-123456', authType: undefined, org: undefined, headers: {}, timeouts: TIMEOUTS }, 'gpt-4.1-mini');
      const started = performance.now();
      const events = await collect(model.stream(call()));
      const elapsed = performance.now() - started;
      assert.equal(streamedText(events), 'Seven is prime.');
      assert.deepEqual(events.at(-1), { type: 'end', finishReason: 'stop', rawFinishReason: 'stop', usage: { inputTokens: 9, cachedInputTokens: 0, outputTokens: 3, reasoningTokens: 0 } });
      assert.ok(elapsed >= DRAIN_LIMITS.ms - 20 && elapsed < DRAIN_LIMITS.ms + 1000, `took ${elapsed.toFixed(0)} ms`);
      // The held connection was given up; the next call works all the same.
      assert.equal(streamedText(await collect(model.stream(call()))), 'Eleven too.');
    } finally {
      await fake.stop();
    }
  });
});
