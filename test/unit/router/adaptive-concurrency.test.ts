// The router against providers that limit how many requests they answer at once: the AIMD limiter
// learns the limit, max_concurrency and pools are honoured, a full model hands over to a ready one,
// waiting respects cancellation, retries do not come back in lockstep, and a provider that refuses
// everything is waited for within the longest wait, then reported as it is.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { ElectrictownConfig } from '../../../server/src/config/schema';
import { EndpointHealth } from '../../../server/src/router/endpoint-health';
import { ModelRouter } from '../../../server/src/router/model-router';
import { ChainExhaustedError, type RoutedResult, type RouterEvent } from '../../../server/src/router/router';
import { DEFAULT_RETRY_POLICY } from '../../../server/src/router/retry-policy';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { FakeOpenAi, type OpenAiReply } from '../../helpers/fake-openai';

const ENVIRONMENT = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789', ET_TEST_ANTHROPIC_KEY: 'fake-anthropic-key-0123456789' };
const MESSAGES = [{ role: 'user' as const, content: 'Name a prime.' }];

/** OpenAI's 429 for too many requests (wire-formats §1.6), with the headers a test gives it. */
function rateLimited(headers: Record<string, string> = {}): OpenAiReply {
  return { kind: 'error', status: 429, headers, body: JSON.stringify({ error: { message: 'Rate limit reached for gpt-4.1-mini in organization org-abc on requests per min (RPM): Limit 5, Used 5, Requested 1.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, null, 4) };
}

function load(text: string): ElectrictownConfig {
  const analysis = analyzeConfig(text, ENVIRONMENT);
  assert.ok(analysis.config, JSON.stringify(analysis.issues));
  return analysis.config;
}

describe('adaptive concurrency', function () {
  this.timeout(30_000);
  let openai: FakeOpenAi;
  let anthropic: FakeAnthropic;
  beforeEach(async () => ([openai, anthropic] = await Promise.all([FakeOpenAi.start(), FakeAnthropic.start()])));
  afterEach(() => Promise.all([openai.stop(), anthropic.stop()]));

  const config = (models = 'gpt: { provider: openai, model: gpt-4.1-mini }', roles = 'polecat: { model: gpt }') =>
    load(`providers:
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_OPENAI_KEY }
  claude: { type: anthropic, base_url: "${anthropic.origin}", api_key: $ET_TEST_ANTHROPIC_KEY }
models:
  ${models}
  sonnet: { provider: claude, model: claude-sonnet-4-5 }
roles:
  ${roles}
`);
  const ask = (router: ModelRouter, signal = AbortSignal.timeout(25_000)) => router.request({ target: { role: 'polecat' }, messages: MESSAGES, signal });

  it('16 requests at once to a provider that answers 5 at a time all succeed: the limit is learned, refusals do not use up attempts', async () => {
    openai.answerAfter(300).limitConcurrency(5, rateLimited());
    const health = new EndpointHealth();
    const router = new ModelRouter({ config: config(), environment: ENVIRONMENT, ledger: undefined, health });
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => ask(router)));
    assert.deepEqual(results.map((result) => result.status), Array(16).fill('fulfilled'));
    const answered = results.map((result) => (result as PromiseFulfilledResult<RoutedResult>).value);
    assert.ok(answered.every((routed) => routed.entry.reference === 'gpt' && routed.result.text === 'The answer is 7.'));
    assert.ok(openai.peakInFlight <= 5);
    // The first burst is refused up to 11 times (fewer when some arrive after others were answered);
    // after that the limiter keeps nearly everything under the provider's limit.
    assert.ok(openai.refused >= 1 && openai.refused < 30, `${openai.refused} refused`);
    const limiter = health.limiter(router.endpointOf(router.chainFor({ role: 'polecat' }).entries[0]), Number.POSITIVE_INFINITY);
    assert.ok(limiter.limit < 16, `learned a limit of ${limiter.limit}`);
  });

  it('refused workers come back spread out, not in lockstep', async () => {
    openai.answerAfter(40).limitConcurrency(4, rateLimited({ 'retry-after-ms': '300' }));
    const router = new ModelRouter({ config: config(), environment: ENVIRONMENT, ledger: undefined, health: new EndpointHealth() });
    const waits: number[] = [];
    const onEvent = (event: RouterEvent) => void (event.type === 'attempt-end' && event.outcome === 'retry' && event.delayMs !== undefined && waits.push(event.delayMs));
    await Promise.all(Array.from({ length: 12 }, () => router.request({ target: { role: 'polecat' }, messages: MESSAGES, signal: AbortSignal.timeout(25_000), onEvent })));
    // Each refused worker waits the provider's 300 ms plus its own random part of up to a fifth.
    assert.ok(waits.length >= 6, `waits ${waits.join(', ')}`);
    assert.ok(waits.every((wait) => wait >= 300 && wait <= 360), `waits ${waits.join(', ')}`);
    assert.ok(new Set(waits).size >= waits.length - 2 && Math.max(...waits) - Math.min(...waits) >= 15, `waits ${waits.join(', ')}`);
    // And so they reach the provider at different times.
    const retried = openai.requests.slice(12).map((request) => request.at);
    assert.ok(new Set(retried.map((at) => Math.round(at))).size >= retried.length / 2);
  });

  it('honours max_concurrency, and gives each pool member one request at a time', async () => {
    openai.answerAfter(80);
    const limited = new ModelRouter({ config: config('gpt: { provider: openai, model: gpt-4.1-mini, max_concurrency: 2 }'), environment: ENVIRONMENT, ledger: undefined, health: new EndpointHealth() });
    await Promise.all(Array.from({ length: 6 }, () => ask(limited)));
    assert.equal(openai.peakInFlight, 2);

    const hosts = await Promise.all([FakeOpenAi.start(), FakeOpenAi.start(), FakeOpenAi.start()]);
    try {
      let together = 0;
      for (const host of hosts) host.answerAfter(80).respondWith(() => ((together = Math.max(together, hosts.reduce((sum, each) => sum + each.inFlight, 0))), undefined));
      const pooled = load(`providers:
${hosts.map((host, index) => `  host${index}: { type: openai, base_url: "${host.baseUrl}", api_key: $ET_TEST_OPENAI_KEY }`).join('\n')}
roles:
  polecat: { pool: [host0/llama3.2, host1/llama3.2, host2/llama3.2] }
`);
      const router = new ModelRouter({ config: pooled, environment: ENVIRONMENT, ledger: undefined, health: new EndpointHealth() });
      const routed = await Promise.all(Array.from({ length: 9 }, () => ask(router)));
      assert.deepEqual(hosts.map((host) => host.peakInFlight), [1, 1, 1]);
      assert.equal(together, 3, 'three hosts answer at once');
      assert.deepEqual(hosts.map((host) => host.requests.length), [3, 3, 3]);
      assert.ok(routed.every((each) => each.attempts.every((attempt) => attempt.outcome === 'ok')));
    } finally {
      await Promise.all(hosts.map((host) => host.stop()));
    }
  });

  it('a request kept waiting by a full model moves to a ready fallback; with none ready, it waits its turn', async () => {
    openai.answerAfter(400);
    anthropic.reply({ kind: 'answer', text: 'Seven.' });
    const router = new ModelRouter({ config: config('gpt: { provider: openai, model: gpt-4.1-mini, max_concurrency: 1 }', 'polecat: { model: gpt, fallbacks: [sonnet] }\n  mayor: { model: gpt }'), environment: ENVIRONMENT, ledger: undefined, health: new EndpointHealth(), policy: { ...DEFAULT_RETRY_POLICY, readyFallbackWaitMs: 50 } });
    const [first, second] = await Promise.all([ask(router), ask(router)]);
    assert.equal(first.entry.reference, 'gpt');
    assert.equal(second.entry.reference, 'sonnet');
    assert.deepEqual(second.attempts.map((attempt) => [attempt.reference, attempt.outcome, attempt.sent, attempt.message]), [
      ['gpt', 'skipped', false, 'busy: its limit of 1 request at once is in flight'],
      ['sonnet', 'ok', true, undefined],
    ]);
    // The mayor has no other model: its second request waits for the first.
    const both = await Promise.all([0, 1].map(() => router.request({ target: { role: 'mayor' }, messages: MESSAGES, signal: AbortSignal.timeout(10_000) })));
    assert.deepEqual(both.map((routed) => routed.entry.reference), ['gpt', 'gpt']);
    assert.equal(openai.peakInFlight, 1);
  });

  it('stops waiting for a slot when the request is cancelled', async () => {
    openai.answerAfter(1500);
    const router = new ModelRouter({ config: config('gpt: { provider: openai, model: gpt-4.1-mini, max_concurrency: 1 }'), environment: ENVIRONMENT, ledger: undefined, health: new EndpointHealth() });
    const running = ask(router);
    const controller = new AbortController();
    const waiting = ask(router, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const cancelled = Date.now();
    controller.abort(new Error('the run was cancelled'));
    await assert.rejects(waiting, /the run was cancelled/);
    assert.ok(Date.now() - cancelled < 500);
    await running;
    assert.equal(openai.requests.length, 1, 'the cancelled request was never sent');
  });

  it('waits for a provider that refuses everything for a while, then answers', async () => {
    let refusing = true;
    openai.respondWith(() => (refusing ? rateLimited({ 'retry-after': '1' }) : undefined));
    setTimeout(() => (refusing = false), 1500);
    const router = new ModelRouter({ config: config(), environment: ENVIRONMENT, ledger: undefined, health: new EndpointHealth() });
    const routed = await ask(router);
    assert.deepEqual(routed.attempts.map((attempt) => attempt.outcome), ['retry', 'retry', 'ok']);
  });

  it('fails honestly when a provider refuses everything: within the longest wait, naming what the provider said', async () => {
    openai.respondWith(() => rateLimited({ 'retry-after': '1' }));
    const router = new ModelRouter({ config: config(), environment: ENVIRONMENT, ledger: undefined, health: new EndpointHealth() });
    const started = Date.now();
    const error = await ask(router).then(
      () => assert.fail('expected the chain to fail'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof ChainExhaustedError);
    assert.match(error.message, /^role polecat: no model answered — gpt: 3 attempts, fallback \(rate_limit: openai: Rate limit reached for gpt-4\.1-mini in organization org-abc on requests per min \(RPM\): Limit 5, Used 5, Requested 1\. \(HTTP 429\); waited 1 s\)$/);
    assert.equal(openai.requests.length, 3);
    // The next request finds the model resting for the second the provider asked, waits it out, and tries again.
    const next = await ask(router).catch((failure: unknown) => failure);
    assert.ok(next instanceof ChainExhaustedError);
    assert.equal(openai.requests.length, 6);
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 4000 && elapsed < 10_000, `${elapsed} ms: four waits of 1 to 1.2 s and one rest`);
  });
});
