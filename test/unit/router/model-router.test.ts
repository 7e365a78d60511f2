// The router as the server uses it: configured timeouts, the ledger line of every sent attempt, run ids.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { LedgerEntry } from '../../../server/src/cost/ledger';
import { EndpointHealth } from '../../../server/src/router/endpoint-health';
import { ModelRouter } from '../../../server/src/router/model-router';
import type { RouterEvent } from '../../../server/src/router/router';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { FakeOpenAi } from '../../helpers/fake-openai';

const ENVIRONMENT = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789', ET_TEST_ANTHROPIC_KEY: 'fake-anthropic-key-0123456789' };

describe('ModelRouter', () => {
  let openai: FakeOpenAi;
  let anthropic: FakeAnthropic;
  beforeEach(async () => ([openai, anthropic] = await Promise.all([FakeOpenAi.start(), FakeAnthropic.start()])));
  afterEach(() => Promise.all([openai.stop(), anthropic.stop()]));

  function router(ledger: LedgerEntry[], waits: number[]) {
    const config = analyzeConfig(
      `providers:
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_OPENAI_KEY, timeouts: { first_byte: 0.2 } }
  claude: { type: anthropic, base_url: "${anthropic.origin}", api_key: $ET_TEST_ANTHROPIC_KEY }
models:
  gpt: { provider: openai, model: gpt-4.1-mini-2025-04-14 }
  sonnet: { provider: claude, model: claude-sonnet-4-5, pricing: { input: 3, output: 15, cached_input: 0.3 } }
roles:
  polecat: { model: gpt, fallbacks: [sonnet] }
`,
      ENVIRONMENT,
    ).config;
    assert.ok(config);
    return new ModelRouter({ config, environment: ENVIRONMENT, ledger: { record: (entry) => ledger.push(entry) }, health: new EndpointHealth(), random: () => 1, sleep: async (milliseconds) => void waits.push(milliseconds) });
  }

  it('times out a silent provider after its configured first_byte, falls back at once to the ready model, and records each attempt', async () => {
    openai.reply({ kind: 'hang' });
    anthropic.reply({ kind: 'answer', text: 'Seven.', input: 1000, cacheRead: 500, cacheWrite: 200, output: 10 });
    const ledger: LedgerEntry[] = [];
    const waits: number[] = [];
    const events: RouterEvent[] = [];
    const started = Date.now();
    const routed = await router(ledger, waits).request({ target: { role: 'polecat' }, messages: [{ role: 'user', content: 'Name a prime.' }], signal: AbortSignal.timeout(10_000), runId: 'run-7', onEvent: (event) => events.push(event) });
    const elapsed = Date.now() - started;
    assert.equal(routed.result.text, 'Seven.');
    // undici's timers tick about once a second, so the 0.2 s timeout fires within about 1 s.
    assert.ok(elapsed < 5000, `one short timeout, not the 120 s default (took ${elapsed} ms)`);
    // A model that did not answer in time is not asked again while another is ready.
    assert.deepEqual(ledger.map((entry) => [entry.runId, entry.role, entry.alias, entry.outcome, entry.errorClass]), [
      ['run-7', 'polecat', 'gpt', 'fallback', 'timeout'],
      ['run-7', 'polecat', 'sonnet', 'ok', undefined],
    ]);
    assert.deepEqual(waits, []);
    // The timed-out attempt got no answer to bill; the answer is billed at the alias's price, its cache
    // reads at their own rate and its cache writes at Anthropic's 1.25× of input (the alias names no price for them).
    assert.deepEqual(ledger.slice(0, 1).map((entry) => entry.usd), [0]);
    const answer = ledger[1];
    assert.deepEqual(answer.tokens, { input: 1700, cachedInput: 500, cacheWrite: 200, output: 10, reasoning: null });
    assert.ok(answer.usd !== null && Math.abs(answer.usd - (1000 * 3 + 500 * 0.3 + 200 * 3.75 + 10 * 15) / 1e6) < 1e-12);
    // Against the same input uncached: 2.70 saved a token read, 0.75 paid over a token written.
    assert.ok(answer.cacheSavedUsd !== undefined && Math.abs(answer.cacheSavedUsd - (500 * 2.7 - 200 * 0.75) / 1e6) < 1e-12);
    assert.equal(ledger[0].cacheSavedUsd, undefined, 'no line for an attempt that used no cache');
    // What the caller saw matches what the ledger holds.
    assert.deepEqual(events.filter((event) => event.type === 'attempt-end').map((event) => event.type === 'attempt-end' && event.usd), ledger.map((entry) => entry.usd));
  });

  it('prices a dated model id from the built-in list and a model it does not know as unpriced', async () => {
    const routerWithLedger = router([], []);
    const gpt = routerWithLedger.chainFor({ model: 'gpt' }).entries[0];
    assert.deepEqual(routerWithLedger.pricingFor(gpt), { pricing: { input: 0.4, cache_read: 0.1, cache_write: 0.4, output: 1.6 }, source: 'list' });
    const unknown = routerWithLedger.chainFor({ model: 'openai/some-new-model' }).entries[0];
    assert.equal(routerWithLedger.pricingFor(unknown), undefined);
  });
});
