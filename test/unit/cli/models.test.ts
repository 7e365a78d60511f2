// `et models` against four fake providers, one of which cannot be reached and one without its key.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { FakeGemini } from '../../helpers/fake-gemini';
import { FakeOllama } from '../../helpers/fake-ollama';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { runEt } from '../../helpers/run-cli';

describe('et models', () => {
  let fakes: { openai: FakeOpenAi; anthropic: FakeAnthropic; gemini: FakeGemini; ollama: FakeOllama };
  let config: string;

  beforeEach(async () => {
    const [openai, anthropic, gemini, ollama] = await Promise.all([FakeOpenAi.start(), FakeAnthropic.start(), FakeGemini.start(), FakeOllama.start()]);
    fakes = { openai, anthropic, gemini, ollama };
    const down = await FakeOllama.start();
    const unreachable = down.origin;
    await down.stop();
    config = path.join(mkdtempSync(path.join(tmpdir(), 'et-models-')), 'electrictown.yaml');
    writeFileSync(
      config,
      `providers:
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_OPENAI_KEY }
  claude: { type: anthropic, base_url: "${anthropic.origin}", api_key: $ET_TEST_ANTHROPIC_KEY }
  gemini: { type: gemini, base_url: "${gemini.origin}", api_key: $ET_TEST_GEMINI_KEY }
  local: { type: ollama, base_url: "${ollama.origin}" }
  offline: { type: ollama, base_url: "${unreachable}" }
  nokey: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_UNSET_KEY }
`,
    );
  });
  afterEach(() => Promise.all(Object.values(fakes).map((fake) => fake.stop())));

  const environment = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789', ET_TEST_ANTHROPIC_KEY: 'fake-anthropic-key-0123456789', ET_TEST_GEMINI_KEY: 'AIza-test-0123456789abcdef' };

  it('lists every provider’s models, following pages, and shows failures instead of skipping them', async () => {
    const result = await runEt(['--config', config, 'models'], { env: environment });
    assert.equal(result.exitCode, 0);
    assert.equal(
      result.stdout,
      [
        'PROVIDER  TYPE       MODEL',
        'openai    openai     gpt-4.1-mini',
        'claude    anthropic  claude-sonnet-4-5-20250929',
        'claude    anthropic  claude-haiku-4-5',
        'gemini    gemini     gemini-2.5-flash',
        'local     ollama     llama3.2:latest',
        'offline   ollama     error (network): connection refused: is Ollama running?',
        'nokey     openai     error (auth): needs $ET_TEST_UNSET_KEY, which is not set',
        '',
      ].join('\n'),
    );
    assert.equal(fakes.anthropic.requests[1].url, '/v1/models?limit=1000&after_id=claude-sonnet-4-5-20250929');
    assert.equal(fakes.gemini.requests[0].headers['x-goog-api-key'], environment.ET_TEST_GEMINI_KEY);
    assert.ok(!fakes.gemini.requests[0].url.includes('key='));
  });

  it('prints JSON with --json, and exits 1 when no provider answers', async () => {
    const json = await runEt(['--config', config, 'models', '--json'], { env: environment });
    const reports = JSON.parse(json.stdout);
    assert.deepEqual(reports.find((report: { provider: string }) => report.provider === 'nokey'), { provider: 'nokey', type: 'openai', error: { class: 'auth', message: 'needs $ET_TEST_UNSET_KEY, which is not set' } });
    await Promise.all(Object.values(fakes).map((fake) => fake.stop()));
    const none = await runEt(['--config', config, 'models'], { env: environment });
    assert.equal(none.exitCode, 1);
    fakes = { openai: await FakeOpenAi.start(), anthropic: await FakeAnthropic.start(), gemini: await FakeGemini.start(), ollama: await FakeOllama.start() };
  });
});
