// The router over real adapters and fake servers: the attempt sequence, the waits and the answer.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { ElectrictownConfig } from '../../../server/src/config/schema';
import { createModel } from '../../../server/src/providers/create-model';
import { ProviderError } from '../../../server/src/providers/provider-error';
import { chainForRole } from '../../../server/src/router/chain';
import { Cooldowns } from '../../../server/src/router/cooldowns';
import { DEFAULT_RETRY_POLICY } from '../../../server/src/router/retry-policy';
import { ChainExhaustedError, generateWithChain, type RouterDependencies, type RouterEvent } from '../../../server/src/router/router';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { FakeOllama } from '../../helpers/fake-ollama';
import { FakeOpenAi } from '../../helpers/fake-openai';

const ENVIRONMENT = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789', ET_TEST_ANTHROPIC_KEY: 'fake-anthropic-key-0123456789' };
const ANTHROPIC_OVERLOADED = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' });
const OPENAI_RATE_LIMITED = JSON.stringify({ error: { message: 'Rate limit reached for gpt-4.1-mini on tokens per min (TPM).', type: 'tokens', param: null, code: 'rate_limit_exceeded' } }, null, 4);

describe('router: a request through a chain', () => {
  let openai: FakeOpenAi;
  let anthropic: FakeAnthropic;
  let ollama: FakeOllama;
  let config: ElectrictownConfig;

  beforeEach(async () => {
    [openai, anthropic, ollama] = await Promise.all([FakeOpenAi.start(), FakeAnthropic.start(), FakeOllama.start()]);
    const text = `providers:
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_OPENAI_KEY }
  claude: { type: anthropic, base_url: "${anthropic.origin}", api_key: $ET_TEST_ANTHROPIC_KEY }
  local: { type: ollama, base_url: "${ollama.origin}" }
  broken: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_UNSET_KEY }
models:
  gpt: { provider: openai, model: gpt-4.1-mini }
  sonnet: { provider: claude, model: claude-sonnet-4-5 }
  llama: { provider: local, model: llama3.2, context_window: 8192 }
  nokey: { provider: broken, model: gpt-4.1-mini }
roles:
  mayor: { model: gpt, fallbacks: [sonnet, llama], max_tokens: 1000 }
  witness: { model: nokey, fallbacks: [llama] }
`;
    const analysis = analyzeConfig(text, ENVIRONMENT);
    assert.ok(analysis.config, JSON.stringify(analysis.issues.filter((issue) => issue.severity === 'error')));
    config = analysis.config;
  });
  afterEach(() => Promise.all([openai.stop(), anthropic.stop(), ollama.stop()]));

  function dependencies(events: RouterEvent[], waits: number[]): RouterDependencies {
    return {
      createModel: (entry) => createModel(config, ENVIRONMENT, entry, { connectMs: 2000, firstByteMs: 5000, idleMs: 5000 }),
      cooldowns: new Cooldowns(),
      policy: DEFAULT_RETRY_POLICY,
      random: () => 1,
      now: () => 0,
      sleep: async (milliseconds) => void waits.push(milliseconds),
      onEvent: (event) => events.push(event),
    };
  }

  const request = () => ({ messages: [{ role: 'user' as const, content: 'Name a prime.' }], signal: AbortSignal.timeout(10_000) });

  it('survives a 429 with retry-after on the first model and a 529 on the second, and answers from the third', async () => {
    openai.reply(...Array.from({ length: 3 }, () => ({ kind: 'error' as const, status: 429, body: OPENAI_RATE_LIMITED, headers: { 'retry-after': '1' } })));
    anthropic.reply({ kind: 'error', status: 529, body: ANTHROPIC_OVERLOADED }, { kind: 'error', status: 529, body: ANTHROPIC_OVERLOADED });
    ollama.reply({ kind: 'answer', text: '7', promptEvalCount: 12, evalCount: 1 });
    const events: RouterEvent[] = [];
    const waits: number[] = [];
    const routed = await generateWithChain(chainForRole(config, 'mayor'), request(), dependencies(events, waits));
    assert.equal(routed.result.text, '7');
    assert.equal(routed.entry.reference, 'llama');
    assert.deepEqual(routed.attempts.map((attempt) => [attempt.reference, attempt.outcome, attempt.errorClass]), [
      ['gpt', 'retry', 'rate_limit'],
      ['gpt', 'retry', 'rate_limit'],
      ['gpt', 'fallback', 'rate_limit'],
      ['sonnet', 'retry', 'overloaded'],
      ['sonnet', 'fallback', 'overloaded'],
      ['llama', 'ok', undefined],
    ]);
    // The provider's 1 s for each retried 429; for the 529, backoff with jitter pinned at its ceiling (1 s).
    assert.deepEqual(waits, [1000, 1000, 1000]);
    assert.deepEqual(routed.attempts.at(-1)?.usage, { inputTokens: 12, cachedInputTokens: undefined, outputTokens: 1, reasoningTokens: undefined });
    assert.equal(events.filter((event) => event.type === 'attempt-start').length, 6);
    // The role's max_tokens reached every provider, in each one's own field.
    assert.equal(openai.requests[0].body?.max_completion_tokens, 1000);
    assert.equal(anthropic.requests[0].body?.max_tokens, 1000);
    assert.deepEqual(ollama.requests[0].body?.options, { num_ctx: 8192, num_predict: 1000 });
  });

  it('stops at once on a missing key, naming the provider and the variable, never a value', async () => {
    const events: RouterEvent[] = [];
    await assert.rejects(generateWithChain(chainForRole(config, 'witness'), request(), dependencies(events, [])), (error: unknown) => {
      assert.ok(ProviderError.isInstance(error));
      assert.equal(error.message, 'broken: needs $ET_TEST_UNSET_KEY, which is not set');
      return true;
    });
    assert.equal(ollama.requests.length, 0, 'no fallback after an auth failure');
  });

  it('names every attempt when the whole chain fails, and skips a model that is cooling down', async () => {
    const serverError = { kind: 'error' as const, status: 500, body: JSON.stringify({ error: { message: 'boom', type: 'server_error', param: null, code: null } }) };
    openai.reply(serverError, serverError, serverError);
    anthropic.reply({ kind: 'error', status: 529, body: ANTHROPIC_OVERLOADED }, { kind: 'error', status: 529, body: ANTHROPIC_OVERLOADED });
    ollama.reply({ kind: 'error', status: 404, body: '{"error":"model \'llama3.2\' not found"}' });
    const shared = dependencies([], []);
    await assert.rejects(generateWithChain(chainForRole(config, 'mayor'), request(), shared), (error: unknown) => {
      assert.ok(error instanceof ChainExhaustedError);
      assert.equal(error.message, 'role mayor: no model answered — gpt: retry (server) → gpt: retry (server) → gpt: fallback (server) → sonnet: retry (overloaded) → sonnet: fallback (overloaded) → llama: fallback (not_found)');
      return true;
    });
    // Three server errors in a row and an overload both rest their models: the next request goes past
    // them without asking, and the local model answers.
    const second = await generateWithChain(chainForRole(config, 'mayor'), request(), shared);
    assert.deepEqual(second.attempts.map((attempt) => [attempt.reference, attempt.outcome]), [['gpt', 'skipped'], ['sonnet', 'skipped'], ['llama', 'ok']]);
    assert.deepEqual([openai.requests.length, anthropic.requests.length], [3, 2]);
  });
});
