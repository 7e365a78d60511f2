// `defaults.retry` and a provider's `retry:` as the router applies them: the policy each model gets
// (pure), and a request through a fake provider obeying it.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { ElectrictownConfig } from '../../../server/src/config/schema';
import type { LedgerEntry } from '../../../server/src/cost/ledger';
import { EndpointHealth } from '../../../server/src/router/endpoint-health';
import { ModelRouter } from '../../../server/src/router/model-router';
import { retryPolicyFor } from '../../../server/src/router/retry-config';
import { decide, DEFAULT_RETRY_POLICY } from '../../../server/src/router/retry-policy';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { FakeOpenAi } from '../../helpers/fake-openai';

const ENVIRONMENT = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789', ET_TEST_ANTHROPIC_KEY: 'fake-anthropic-key-0123456789' };
const OPENAI_SERVER_ERROR = JSON.stringify({ error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null } }, null, 4);
const OPENAI_RATE_LIMITED = JSON.stringify({ error: { message: 'Rate limit reached for gpt-4.1-mini on requests per min (RPM).', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, null, 4);

function load(text: string): ElectrictownConfig {
  const analysis = analyzeConfig(text, ENVIRONMENT);
  assert.ok(analysis.config, JSON.stringify(analysis.issues));
  return analysis.config;
}

const failed = (errorClass: 'server' | 'timeout' | 'rate_limit', retryAfterMs?: number) => ({ errorClass, action: 'retry' as const, message: errorClass, retryAfterMs });

describe('retry config', () => {
  it('without retry keys, every provider gets today’s policy', () => {
    const config = load('providers:\n  openai: { type: openai, api_key: $ET_TEST_OPENAI_KEY }\n');
    assert.deepEqual(retryPolicyFor(config, 'openai'), DEFAULT_RETRY_POLICY);
    assert.deepEqual(retryPolicyFor(config, 'not-configured'), DEFAULT_RETRY_POLICY);
  });

  it('takes defaults.retry, then the provider’s own keys over it, key by key', () => {
    const config = load(`providers:
  openai: { type: openai, api_key: $ET_TEST_OPENAI_KEY, retry: { attempts: 1 } }
  local: { type: ollama, retry: { retry_timeouts: true, max_wait_seconds: 0.5 } }
  claude: { type: anthropic, api_key: $ET_TEST_ANTHROPIC_KEY }
defaults:
  retry: { attempts: 5, max_wait_seconds: 2 }
`);
    const openai = retryPolicyFor(config, 'openai');
    assert.deepEqual([openai.attemptsPerModel, openai.overloadedAttempts, openai.maxWaitMs, openai.retryTimeouts], [1, 1, 2000, false]);
    const local = retryPolicyFor(config, 'local');
    assert.deepEqual([local.attemptsPerModel, local.overloadedAttempts, local.maxWaitMs, local.retryTimeouts], [5, 2, 500, true]);
    assert.deepEqual(retryPolicyFor(config, 'claude'), { ...DEFAULT_RETRY_POLICY, attemptsPerModel: 5, maxWaitMs: 2000 });
    // The decisions follow: one attempt only; a 3 s wait is over the 2 s most; a timeout retried even with another model ready.
    assert.equal(decide({ classification: failed('server'), attempts: 1, outputStarted: false, nextModelReady: false }, openai, () => 1).kind, 'fallback');
    assert.equal(decide({ classification: failed('server'), attempts: 4, outputStarted: false, nextModelReady: false }, retryPolicyFor(config, 'claude'), () => 1).kind, 'retry');
    assert.deepEqual(decide({ classification: failed('rate_limit', 3000), attempts: 1, outputStarted: false, nextModelReady: false }, retryPolicyFor(config, 'claude'), () => 1), { kind: 'fallback', reason: 'the provider asked to wait 3 s' });
    assert.equal(decide({ classification: failed('rate_limit', 1500), attempts: 1, outputStarted: false, nextModelReady: false }, retryPolicyFor(config, 'claude'), () => 1).kind, 'retry');
    assert.deepEqual(decide({ classification: failed('timeout'), attempts: 1, outputStarted: false, nextModelReady: true }, local, () => 1), { kind: 'retry', delayMs: 500 });
    assert.equal(decide({ classification: failed('timeout'), attempts: 1, outputStarted: false, nextModelReady: true }, openai, () => 1).kind, 'fallback');
  });

  describe('applied by the router', () => {
    let openai: FakeOpenAi;
    let anthropic: FakeAnthropic;
    beforeEach(async () => ([openai, anthropic] = await Promise.all([FakeOpenAi.start(), FakeAnthropic.start()])));
    afterEach(() => Promise.all([openai.stop(), anthropic.stop()]));

    async function route(retry: string) {
      const config = load(`providers:
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_OPENAI_KEY, retry: ${retry} }
  claude: { type: anthropic, base_url: "${anthropic.origin}", api_key: $ET_TEST_ANTHROPIC_KEY }
models:
  gpt: { provider: openai, model: gpt-4.1-mini }
  sonnet: { provider: claude, model: claude-sonnet-4-5 }
roles:
  polecat: { model: gpt, fallbacks: [sonnet] }
`);
      const ledger: LedgerEntry[] = [];
      const waits: number[] = [];
      const router = new ModelRouter({ config, environment: ENVIRONMENT, ledger: { record: (entry) => ledger.push(entry) }, health: new EndpointHealth(), random: () => 0, sleep: async (milliseconds) => void waits.push(milliseconds) });
      const routed = await router.request({ target: { role: 'polecat' }, messages: [{ role: 'user', content: 'Name a prime.' }], signal: AbortSignal.timeout(10_000) });
      return { routed, outcomes: ledger.map((entry) => `${entry.alias} ${entry.outcome}`), waits };
    }

    it('gives a model the provider’s number of attempts', async () => {
      openai.reply(...Array.from({ length: 5 }, () => ({ kind: 'error' as const, status: 500, body: OPENAI_SERVER_ERROR })));
      const { routed, outcomes } = await route('{ attempts: 5 }');
      assert.equal(routed.entry.reference, 'sonnet');
      assert.deepEqual(outcomes, ['gpt retry', 'gpt retry', 'gpt retry', 'gpt retry', 'gpt fallback', 'sonnet ok']);
      assert.equal(openai.requests.length, 5);
    });

    it('does not wait longer than max_wait_seconds for a rate limit', async () => {
      openai.reply({ kind: 'error', status: 429, body: OPENAI_RATE_LIMITED, headers: { 'retry-after': '2' } });
      const { outcomes, waits } = await route('{ max_wait_seconds: 1 }');
      assert.deepEqual(outcomes, ['gpt fallback', 'sonnet ok']);
      assert.deepEqual(waits, []);
    });
  });
});
