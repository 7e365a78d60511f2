// Endpoint health shared through the file: two stores on one log folder stand for two processes. Rests
// travel, recoveries travel, auth failures and secrets never do, and entries expire.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { Classification } from '../../../server/src/providers/provider-error';
import { Cooldowns } from '../../../server/src/router/cooldowns';
import { EndpointHealth, withOwnAuthFailures } from '../../../server/src/router/endpoint-health';
import { HEALTH_FILE_NAME, HealthFile } from '../../../server/src/router/health-file';
import { sharedHealth } from '../../../server/src/router/health-registry';
import { ModelRouter } from '../../../server/src/router/model-router';
import { FakeOpenAi } from '../../helpers/fake-openai';

const failure = (errorClass: Classification['errorClass'], retryAfterMs?: number): Classification => ({ errorClass, action: errorClass === 'auth' ? 'fail' : 'fallback', message: errorClass, retryAfterMs });

describe('endpoint health shared between processes', () => {
  let directory: string;
  beforeEach(() => (directory = mkdtempSync(path.join(tmpdir(), 'et-shared-health-'))));
  // Each store is what one process has; a clock each, as the test moves time on.
  const store = (clock: () => number) => new EndpointHealth(new HealthFile(directory, (message) => assert.fail(message)), clock);

  it('tells another process of a rest, and of the recovery that ends it', async () => {
    let now = Date.now();
    const first = store(() => now);
    const second = store(() => now);
    first.recordFailure('openai http://127.0.0.1:1/v1 gpt', failure('quota_exhausted'), now);
    await first.flush();
    await second.refresh();
    assert.equal(second.cooldown('openai http://127.0.0.1:1/v1 gpt', now)?.errorClass, 'quota_exhausted');
    assert.equal(second.cooldown('openai http://127.0.0.1:1/v1 gpt', now)?.until, now + 10 * 60_000);

    now += 1000;
    first.recordSuccess('openai http://127.0.0.1:1/v1 gpt', now);
    await first.flush();
    now += 1000;
    await second.refresh();
    assert.equal(second.cooldown('openai http://127.0.0.1:1/v1 gpt', now), undefined);
  });

  it('lets a rest expire, and looks at the file at most every 200 ms', async () => {
    let now = Date.now();
    const first = store(() => now);
    const second = store(() => now);
    await second.refresh();
    first.recordFailure('e', failure('rate_limit', 2000), now);
    await first.flush();
    await second.refresh();
    assert.equal(second.cooldown('e', now), undefined, 'looked at 0 ms ago: not again yet');
    now += 200;
    await second.refresh();
    assert.equal(second.cooldown('e', now)?.until, now - 200 + 2000);
    now += 2000;
    assert.equal(second.cooldown('e', now), undefined);
  });

  it('keeps auth failures with the router that saw them, and out of the file', async () => {
    const now = Date.now();
    const shared = store(() => now);
    const own = new Cooldowns();
    const router = withOwnAuthFailures(shared, own);
    router.recordFailure('with-bad-key', failure('auth'), now);
    router.recordFailure('dead', failure('network'), now);
    router.recordFailure('dead', failure('network'), now);
    router.recordFailure('dead', failure('network'), now);
    await shared.flush();
    assert.equal(router.cooldown('with-bad-key', now)?.errorClass, 'auth');
    assert.equal(shared.cooldown('with-bad-key', now), undefined);
    // The next run's router asks again.
    assert.equal(withOwnAuthFailures(shared).cooldown('with-bad-key', now), undefined);
    assert.equal(withOwnAuthFailures(shared).cooldown('dead', now)?.errorClass, 'network');
    const text = readFileSync(path.join(directory, HEALTH_FILE_NAME), 'utf8');
    assert.match(text, /"dead"/);
    assert.doesNotMatch(text, /with-bad-key|auth/);
  });

  it('is one store per log folder for the whole process', () => {
    const warn = () => {};
    assert.equal(sharedHealth(directory, warn), sharedHealth(path.join(directory, '.', ''), warn));
    assert.notEqual(sharedHealth(directory, warn), sharedHealth(mkdtempSync(path.join(tmpdir(), 'et-other-')), warn));
  });

  it('names endpoints by where they are and the model, never by a key', async () => {
    const openai = await FakeOpenAi.start();
    try {
      openai.reply({ kind: 'error', status: 429, body: JSON.stringify({ error: { message: 'You exceeded your current quota, please check your plan and billing details.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } }, null, 4) });
      const url = new URL(openai.baseUrl);
      const environment = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789', ET_TEST_TEAM: 'team-secret-4242', ET_TEST_PATH_TOKEN: 'path-token-7373' };
      const config = analyzeConfig(
        `providers:
  openai: { type: openai, base_url: "http://user:pass-9876@${url.host}/$ET_TEST_PATH_TOKEN/v1/?key=query-secret#part", api_key: $ET_TEST_OPENAI_KEY, headers: { X-Team: $ET_TEST_TEAM } }
models:
  gpt: { provider: openai, model: gpt-4.1-mini }
`,
        environment,
      ).config;
      assert.ok(config);
      const health = store(Date.now);
      const router = new ModelRouter({ config, environment, ledger: undefined, health });
      await assert.rejects(router.request({ target: { model: 'gpt' }, messages: [{ role: 'user', content: 'Hi' }], signal: AbortSignal.timeout(10_000) }), /quota/);
      await health.flush();
      const text = readFileSync(path.join(directory, HEALTH_FILE_NAME), 'utf8');
      assert.deepEqual(Object.keys(JSON.parse(text).endpoints), [`openai http://${url.host}/[redacted]/v1 gpt-4.1-mini`]);
      assert.doesNotMatch(text, /pass-9876|query-secret|fake-openai-key|team-secret|path-token|part/);
    } finally {
      await openai.stop();
    }
  });
});
