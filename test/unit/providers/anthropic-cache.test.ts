// Prompt caching on Anthropic, against the fake server playing the API's cache: where the adapter
// puts `cache_control`, the reads and writes it reads back (in the answer and in the stream), and
// requests sent together with one prefix — which all write it unless they wait for the first to begin.
import assert from 'node:assert/strict';
import { request } from 'undici';
import { AnthropicModel } from '../../../server/src/providers/anthropic/anthropic-model';
import type { CallOptions, ChatMessage, StreamEvent, Usage } from '../../../server/src/providers/language-model';
import { PrefixWarmupModel } from '../../../server/src/providers/prefix-warmup';
import { fakeTokens } from '../../helpers/anthropic-prompt-cache';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { collect } from '../../helpers/provider-calls';

const KEY = 'fake-anthropic-key-0123456789';
const SYSTEM = 'You are a software engineer on a team.';
/** About 2,500 of the fake's tokens: over the 1,024 a Sonnet caches at least. */
const SHARED = `The whole task:\nBuild the service.\n\n${'The service keeps its items in memory and answers in JSON. '.repeat(170)}`;

function modelFor(fake: FakeAnthropic): AnthropicModel {
  return new AnthropicModel({ provider: 'claude', baseUrl: fake.origin, apiKey: KEY, authType: undefined, headers: {}, timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 } }, 'claude-sonnet-4-5');
}

function workerCall(subtask: number, shared = SHARED): CallOptions {
  const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM }, { role: 'user', content: shared, cacheBreakpoint: true }, { role: 'user', content: `Your subtask (${subtask} of 4):\nWrite part ${subtask}.` }];
  return { messages, maxTokens: 1024, temperature: undefined, signal: AbortSignal.timeout(10_000) };
}

const usageOf = (events: StreamEvent[]): Usage => {
  const end = events.at(-1);
  assert.ok(end?.type === 'end');
  return end.usage;
};

describe('Anthropic prompt caching', () => {
  let fake: FakeAnthropic;
  beforeEach(async () => (fake = await FakeAnthropic.start()));
  afterEach(() => fake.stop());

  it('puts one cache_control breakpoint at the end of the shared part, which opens the first user turn', async () => {
    await modelFor(fake).generate(workerCall(1));
    const body = fake.requests[0].body;
    assert.equal(body?.system, SYSTEM, 'an unmarked system prompt stays one string');
    assert.deepEqual(body?.messages, [
      {
        role: 'user',
        content: [
          { type: 'text', text: SHARED, cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Your subtask (1 of 4):\nWrite part 1.' },
        ],
      },
    ]);
    assert.equal(fake.requests[0].raw.split('"cache_control"').length - 1, 1);
  });

  it('marks a system prompt as blocks, and sends no more than the four breakpoints the API accepts (the last four)', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: SYSTEM, cacheBreakpoint: true },
      ...[1, 2, 3, 4].flatMap((turn): ChatMessage[] => [
        { role: 'user', content: `question ${turn}`, cacheBreakpoint: true },
        { role: 'assistant', content: `answer ${turn}` },
      ]),
      { role: 'user', content: 'last question' },
    ];
    await modelFor(fake).generate({ messages: [{ role: 'system', content: SYSTEM, cacheBreakpoint: true }, { role: 'user', content: 'A question.' }], maxTokens: 64, temperature: undefined, signal: AbortSignal.timeout(10_000) });
    assert.deepEqual(fake.requests[0].body?.system, [{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }]);
    assert.deepEqual(fake.requests[0].body?.messages, [{ role: 'user', content: 'A question.' }]);

    await modelFor(fake).generate({ messages, maxTokens: 64, temperature: undefined, signal: AbortSignal.timeout(10_000) });
    const body = fake.requests[1].body as { system: unknown; messages: { content: unknown }[] };
    // The system's breakpoint is the earliest of five: the one left out.
    assert.equal(body.system, SYSTEM);
    assert.deepEqual(body.messages.slice(0, 2), [{ role: 'user', content: [{ type: 'text', text: 'question 1', cache_control: { type: 'ephemeral' } }] }, { role: 'assistant', content: 'answer 1' }]);
    assert.equal(fake.requests[1].raw.split('"cache_control"').length - 1, 4);
  });

  it('the fake refuses a fifth breakpoint as the API does', async () => {
    fake.cachePrompts();
    const content = [1, 2, 3, 4, 5].map((block) => ({ type: 'text', text: `block ${block}`, cache_control: { type: 'ephemeral' } }));
    const response = await request(`${fake.origin}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content }] }) });
    assert.equal(response.statusCode, 400);
    assert.match(await response.body.text(), /"invalid_request_error".*A maximum of 4 blocks with cache_control may be provided\. Found 5\./);
  });

  it('reports a write the first time a prefix is sent and a read when it repeats, in answers and in streams', async () => {
    fake.cachePrompts({ minimumTokens: 1024 });
    const model = modelFor(fake);
    const prefix = fakeTokens(SYSTEM) + fakeTokens(SHARED);
    const first = (await model.generate(workerCall(1))).usage;
    const own = (subtask: number) => fakeTokens(`Your subtask (${subtask} of 4):\nWrite part ${subtask}.`);
    assert.deepEqual(first, { inputTokens: prefix + own(1), cachedInputTokens: 0, cacheWriteTokens: prefix, outputTokens: 5, reasoningTokens: undefined });
    const second = usageOf(await collect(model.stream(workerCall(2))));
    assert.deepEqual(second, { inputTokens: prefix + own(2), cachedInputTokens: prefix, cacheWriteTokens: 0, outputTokens: 5, reasoningTokens: undefined });
    // Another prefix is written anew.
    const other = (await model.generate(workerCall(3, `${SHARED}And one more thing.`))).usage;
    assert.deepEqual([other.cachedInputTokens, other.cacheWriteTokens], [0, fakeTokens(SYSTEM) + fakeTokens(`${SHARED}And one more thing.`)]);
  });

  it('takes the cache counts message_delta repeats over those of message_start', async () => {
    fake.reply({ kind: 'answer', text: 'Done.', input: 30, cacheRead: 0, cacheWrite: 0, output: 7, corrected: { input: 30, cacheRead: 1200, cacheWrite: 800 } });
    const usage = usageOf(await collect(modelFor(fake).stream(workerCall(1))));
    assert.deepEqual(usage, { inputTokens: 2030, cachedInputTokens: 1200, cacheWriteTokens: 800, outputTokens: 7, reasoningTokens: undefined });
  });

  it('neither writes nor reads a prefix shorter than the model caches', async () => {
    fake.cachePrompts({ minimumTokens: 4096 });
    const model = modelFor(fake);
    await model.generate(workerCall(1));
    const again = (await model.generate(workerCall(2))).usage;
    assert.deepEqual([again.cachedInputTokens, again.cacheWriteTokens, again.inputTokens], [0, 0, fakeTokens(SYSTEM) + fakeTokens(SHARED) + fakeTokens('Your subtask (2 of 4):\nWrite part 2.')]);
  });

  it('sent together, every request writes the prefix; waiting for the first to begin, the others read it', async () => {
    fake.cachePrompts({ minimumTokens: 1024, beginDelayMs: 150 });
    const together = await Promise.all([1, 2, 3, 4].map(async (subtask) => usageOf(await collect(modelFor(fake).stream(workerCall(subtask))))));
    assert.deepEqual(together.map((usage) => usage.cacheWriteTokens! > 0), [true, true, true, true]);

    fake.cachePrompts({ minimumTokens: 1024, beginDelayMs: 150 });
    const warmed = new PrefixWarmupModel(modelFor(fake));
    const prefix = fakeTokens(SYSTEM) + fakeTokens(SHARED);
    const usages = await Promise.all([1, 2, 3, 4].map(async (subtask) => usageOf(await collect(warmed.stream(workerCall(subtask))))));
    assert.deepEqual(usages.map((usage) => [usage.cacheWriteTokens, usage.cachedInputTokens]).sort(), [[0, prefix], [0, prefix], [0, prefix], [prefix, 0]]);
  });
});
