// The router over real adapters and fake servers: the attempt sequence, the waits and the answer.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { ElectrictownConfig } from '../../../server/src/config/schema';
import { createModel } from '../../../server/src/providers/create-model';
import { ProviderError } from '../../../server/src/providers/provider-error';
import { chainForModel, chainForRole } from '../../../server/src/router/chain';
import { ConcurrencyLimiter } from '../../../server/src/router/concurrency-limiter';
import { Cooldowns } from '../../../server/src/router/cooldowns';
import { DEFAULT_RETRY_POLICY } from '../../../server/src/router/retry-policy';
import { ChainExhaustedError, routeRequest, type RouterDependencies, type RouterEvent } from '../../../server/src/router/router';
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
      endpointOf: (entry) => `${entry.provider}/${entry.modelId}`,
      health: new Cooldowns(),
      limiterFor: () => new ConcurrencyLimiter(),
      policyFor: () => DEFAULT_RETRY_POLICY,
      // $1 per 1M input tokens and $10 per 1M output, for every model.
      price: (_entry, usage) => ((usage.inputTokens ?? 0) * 1 + (usage.outputTokens ?? 0) * 10) / 1e6,
      random: () => 1,
      now: () => 0,
      sleep: async (milliseconds) => void waits.push(milliseconds),
      onEvent: (event) => events.push(event),
    };
  }

  const request = () => ({ messages: [{ role: 'user' as const, content: 'Name a prime.' }], signal: AbortSignal.timeout(10_000) });

  it('honours a 429’s retry-after on the first model, leaves an overloaded second at once, and answers from the third', async () => {
    openai.reply(...Array.from({ length: 3 }, () => ({ kind: 'error' as const, status: 429, body: OPENAI_RATE_LIMITED, headers: { 'retry-after': '1' } })));
    anthropic.reply({ kind: 'error', status: 529, body: ANTHROPIC_OVERLOADED });
    ollama.reply({ kind: 'answer', text: '7', promptEvalCount: 12, evalCount: 1 });
    const events: RouterEvent[] = [];
    const waits: number[] = [];
    const routed = await routeRequest(chainForRole(config, 'mayor'), request(), dependencies(events, waits));
    assert.equal(routed.result.text, '7');
    assert.equal(routed.entry.reference, 'llama');
    assert.deepEqual(routed.attempts.map((attempt) => [attempt.reference, attempt.outcome, attempt.errorClass, attempt.sent]), [
      ['gpt', 'retry', 'rate_limit', true],
      ['gpt', 'retry', 'rate_limit', true],
      ['gpt', 'fallback', 'rate_limit', true],
      ['sonnet', 'fallback', 'overloaded', true],
      ['llama', 'ok', undefined, true],
    ]);
    // The provider's 1 s (plus this test's fixed jitter of a fifth) before each retry of the 429: so short
    // a wait is worth it even with sonnet ready. None for the overload, since llama was ready.
    assert.deepEqual(waits, [1200, 1200]);
    // Error answers are not billed; the answer is, at its reported counts.
    assert.deepEqual(routed.attempts.map((attempt) => [attempt.usage.inputTokens, attempt.usage.outputTokens, attempt.usageEstimated, attempt.usd]), [
      [0, 0, false, 0],
      [0, 0, false, 0],
      [0, 0, false, 0],
      [0, 0, false, 0],
      [12, 1, false, (12 + 10) / 1e6],
    ]);
    assert.equal(events.filter((event) => event.type === 'attempt-start').length, 5);
    // The role's max_tokens reached every provider, in each one's own field.
    assert.equal(openai.requests[0].body?.max_completion_tokens, 1000);
    assert.equal(anthropic.requests[0].body?.max_tokens, 1000);
    assert.deepEqual(ollama.requests[0].body?.options, { num_ctx: 8192, num_predict: 1000 });
  });

  it('retries an overloaded model with a longer backoff when no other model is ready', async () => {
    anthropic.reply({ kind: 'error', status: 529, body: ANTHROPIC_OVERLOADED }, { kind: 'answer', text: 'Seven.', input: 10, output: 2 });
    const waits: number[] = [];
    const routed = await routeRequest(chainForModel(config, 'sonnet'), request(), dependencies([], waits));
    assert.deepEqual(routed.attempts.map((attempt) => attempt.outcome), ['retry', 'ok']);
    assert.deepEqual(waits, [1000]);
  });

  it('stops at once on a missing key, naming the provider and the variable, never a value', async () => {
    const events: RouterEvent[] = [];
    await assert.rejects(routeRequest(chainForRole(config, 'witness'), request(), dependencies(events, [])), (error: unknown) => {
      assert.ok(ProviderError.isInstance(error));
      assert.equal(error.message, 'broken: needs $ET_TEST_UNSET_KEY, which is not set');
      return true;
    });
    assert.equal(ollama.requests.length, 0, 'no fallback after an auth failure');
  });

  it('names every attempt when the whole chain fails, and skips a model that is cooling down', async () => {
    const serverError = { kind: 'error' as const, status: 500, body: JSON.stringify({ error: { message: 'boom', type: 'server_error', param: null, code: null } }) };
    openai.reply(serverError, serverError, serverError);
    anthropic.reply({ kind: 'error', status: 529, body: ANTHROPIC_OVERLOADED });
    ollama.reply({ kind: 'error', status: 404, body: '{"error":"model \'llama3.2\' not found"}' });
    const shared = dependencies([], []);
    await assert.rejects(routeRequest(chainForRole(config, 'mayor'), request(), shared), (error: unknown) => {
      assert.ok(error instanceof ChainExhaustedError);
      // Each model once, with what its provider said: a user sees why, not only a class.
      assert.equal(error.message, "role mayor: no model answered — gpt: 3 attempts, fallback (server: openai: boom (HTTP 500); waited 1 s) → sonnet: fallback (overloaded: claude: Overloaded (HTTP 529)) → llama: fallback (not_found: local: model 'llama3.2' not found (HTTP 404))");
      return true;
    });
    // Three server errors in a row and an overload both rest their models: the next request goes past
    // them without asking, and the local model answers.
    const second = await routeRequest(chainForRole(config, 'mayor'), request(), shared);
    assert.deepEqual(second.attempts.map((attempt) => [attempt.reference, attempt.outcome]), [['gpt', 'skipped'], ['sonnet', 'skipped'], ['llama', 'ok']]);
    assert.deepEqual([openai.requests.length, anthropic.requests.length], [3, 1]);
  });

  /** The answer as a consumer that honours `restart` sees it. */
  function consumedText(events: readonly RouterEvent[]): string {
    let text = '';
    for (const event of events) {
      if (event.type === 'text-delta') text += event.text;
      if (event.type === 'restart') text = '';
    }
    return text;
  }

  it('restarts a stream that died after text on the next model, so the consumer sees one whole answer', async () => {
    openai.reply({ kind: 'stream-cut', afterChunks: 3 });
    anthropic.reply({ kind: 'answer', text: 'Seven is prime.', input: 14, output: 5 });
    const events: RouterEvent[] = [];
    const routed = await routeRequest(chainForRole(config, 'mayor'), { ...request(), stream: true }, dependencies(events, []));
    assert.equal(routed.result.text, 'Seven is prime.');
    assert.equal(consumedText(events), 'Seven is prime.');
    const restart = events.find((event) => event.type === 'restart');
    assert.deepEqual(restart && [restart.reference, restart.discardedChars], ['gpt', 'one two '.length]);
    assert.match(restart?.type === 'restart' ? restart.message : '', /openai: .*\[DONE\]/);
    // Never retried on the same model: that would send the same opening twice.
    assert.deepEqual(routed.attempts.map((attempt) => [attempt.reference, attempt.outcome, attempt.errorClass]), [['gpt', 'fallback', 'truncated_stream'], ['sonnet', 'ok', undefined]]);
    assert.equal(openai.requests.length, 1);
    // The cut attempt was billed by the provider: charged at our estimate of prompt and partial text.
    const cut = routed.attempts[0];
    assert.deepEqual([cut.usage.inputTokens, cut.usage.outputTokens, cut.usageEstimated], [4 + 4, 2, true]);
    assert.equal(cut.usd, (8 + 2 * 10) / 1e6);
  });

  it('retries a stream that failed before any text on the same model, with no restart', async () => {
    openai.reply({ kind: 'error', status: 500, body: JSON.stringify({ error: { message: 'boom', type: 'server_error', param: null, code: null } }) }, { kind: 'answer', text: 'Seven.', usage: { prompt: 9, completion: 2 } });
    const events: RouterEvent[] = [];
    const routed = await routeRequest(chainForRole(config, 'mayor'), { ...request(), stream: true }, dependencies(events, []));
    assert.deepEqual(routed.attempts.map((attempt) => attempt.outcome), ['retry', 'ok']);
    assert.equal(events.some((event) => event.type === 'restart'), false);
    assert.equal(consumedText(events), 'Seven.');
    assert.deepEqual(routed.result.usage, { inputTokens: 9, cachedInputTokens: 0, outputTokens: 2, reasoningTokens: 0 });
  });

  it('does not send a prompt that cannot fit a model’s window, and takes the next model', async () => {
    const small = analyzeConfig(`providers:\n  local: { type: ollama, base_url: "${ollama.origin}" }\n  claude: { type: anthropic, base_url: "${anthropic.origin}", api_key: $ET_TEST_ANTHROPIC_KEY }\nmodels:\n  tiny: { provider: local, model: llama3.2, context_window: 1024 }\n  sonnet: { provider: claude, model: claude-sonnet-4-5, context_window: 200000 }\nroles:\n  polecat: { model: tiny, fallbacks: [sonnet] }\n`, ENVIRONMENT).config;
    assert.ok(small);
    config = small;
    const routed = await routeRequest(chainForRole(config, 'polecat'), { ...request(), messages: [{ role: 'user', content: 'x'.repeat(8000) }] }, dependencies([], []));
    assert.deepEqual(routed.attempts.map((attempt) => [attempt.reference, attempt.outcome, attempt.errorClass, attempt.sent]), [['tiny', 'fallback', 'context_overflow', false], ['sonnet', 'ok', undefined, true]]);
    assert.match(routed.attempts[0].message ?? '', /the prompt \(about 2004 tokens\) does not fit the context window \(1024\)/);
    assert.equal(ollama.requests.length, 0);
  });

  it('falls back when Ollama silently cut the prompt, charging the tokens it reported', async () => {
    ollama.reply({ kind: 'answer', text: 'Half an answer.', promptEvalCount: 20_000, evalCount: 4 });
    const prompt = { ...request(), messages: [{ role: 'user' as const, content: 'word '.repeat(6000) }] };
    const routed = await routeRequest({ ...chainForRole(config, 'mayor'), entries: [chainForModel(config, 'llama').entries[0], chainForModel(config, 'sonnet').entries[0]] }, prompt, dependencies([], []));
    assert.deepEqual(routed.attempts.map((attempt) => [attempt.reference, attempt.outcome, attempt.errorClass]), [['llama', 'fallback', 'context_overflow'], ['sonnet', 'ok', undefined]]);
    assert.deepEqual([routed.attempts[0].usage.inputTokens, routed.attempts[0].usage.outputTokens, routed.attempts[0].usageEstimated], [8192, 4, false]);
  });

  it('records a cancelled stream with what it consumed, and stops', async () => {
    openai.reply({ kind: 'stall', afterChunks: 3 });
    const controller = new AbortController();
    const events: RouterEvent[] = [];
    const deps = { ...dependencies(events, []), onEvent: (event: RouterEvent) => {
      events.push(event);
      if (event.type === 'text-delta' && event.text.includes('two')) controller.abort(new Error('cancelled by the user'));
    } };
    await assert.rejects(routeRequest(chainForRole(config, 'mayor'), { ...request(), signal: controller.signal, stream: true }, deps));
    const ends = events.filter((event) => event.type === 'attempt-end');
    assert.deepEqual(ends.map((event) => event.type === 'attempt-end' && [event.reference, event.outcome, event.usageEstimated, event.usage.outputTokens]), [['gpt', 'cancelled', true, 2]]);
    assert.equal(anthropic.requests.length, 0);
  });
});
