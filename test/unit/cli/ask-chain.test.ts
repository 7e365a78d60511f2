// `et ask` over a three-provider fallback chain, against fake OpenAI, Anthropic and Gemini servers:
// what the user sees, what the ledger records, and what never appears (the key).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeAnthropic } from '../../helpers/fake-anthropic';
import { FakeGemini } from '../../helpers/fake-gemini';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { runEt } from '../../helpers/run-cli';

const KEYS = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789', ET_TEST_ANTHROPIC_KEY: 'fake-anthropic-key-0123456789', ET_TEST_GEMINI_KEY: 'fake-gemini-key-0123456789' };
const OPENAI_RATE_LIMITED = JSON.stringify({ error: { message: 'Rate limit reached for gpt-4.1-mini on requests per min (RPM): Limit 500, Used 500, Requested 1.', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, null, 4);
const ANTHROPIC_OVERLOADED = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' });
const ANTHROPIC_BAD_KEY = JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fz' });

describe('et ask through a fallback chain', () => {
  let openai: FakeOpenAi;
  let anthropic: FakeAnthropic;
  let gemini: FakeGemini;
  let directory: string;
  let config: string;

  beforeEach(async () => {
    [openai, anthropic, gemini] = await Promise.all([FakeOpenAi.start(), FakeAnthropic.start(), FakeGemini.start()]);
    directory = mkdtempSync(path.join(tmpdir(), 'et-ask-chain-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(
      config,
      `providers:
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_OPENAI_KEY }
  claude: { type: anthropic, base_url: "${anthropic.origin}", api_key: $ET_TEST_ANTHROPIC_KEY }
  google: { type: gemini, base_url: "${gemini.origin}", api_key: $ET_TEST_GEMINI_KEY }
models:
  gpt: { provider: openai, model: gpt-4.1-mini, pricing: { input: 0.4, output: 1.6 } }
  sonnet: { provider: claude, model: claude-sonnet-4-5-20250929 }
  flash: { provider: google, model: gemini-2.5-flash }
roles:
  mayor: { model: gpt, fallbacks: [sonnet, flash] }
defaults:
  log_dir: .electrictown
`,
    );
  });
  afterEach(() => Promise.all([openai.stop(), anthropic.stop(), gemini.stop()]));

  const ledger = () => readFileSync(path.join(directory, '.electrictown', 'ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));

  it('survives a 429 with retry-after, then a 529, answers from the third model, and the ledger shows all three attempts', async () => {
    // 45 s is longer than the router waits (30 s): it moves on rather than hold the user.
    openai.reply({ kind: 'error', status: 429, body: OPENAI_RATE_LIMITED, headers: { 'retry-after': '45' } });
    anthropic.reply({ kind: 'error', status: 529, body: ANTHROPIC_OVERLOADED });
    gemini.reply({ kind: 'answer', text: 'Seven is prime.', prompt: 1000, candidates: 200 });
    const result = await runEt(['--config', config, 'ask', '--role', 'mayor', 'Name a prime.'], { cwd: directory, env: KEYS });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, 'Seven is prime.\n');
    assert.equal(result.stderr, 'note: gpt: rate_limit, trying the next model\nnote: sonnet: overloaded, trying the next model\n');
    const entries = ledger();
    assert.deepEqual(
      entries.map((entry) => [entry.role, entry.provider, entry.providerType, entry.alias, entry.modelId, entry.outcome, entry.errorClass, entry.tokens.input, entry.tokens.output, entry.estimated]),
      [
        ['mayor', 'openai', 'openai', 'gpt', 'gpt-4.1-mini', 'fallback', 'rate_limit', 0, 0, false],
        ['mayor', 'claude', 'anthropic', 'sonnet', 'claude-sonnet-4-5-20250929', 'fallback', 'overloaded', 0, 0, false],
        ['mayor', 'google', 'gemini', 'flash', 'gemini-2.5-flash', 'ok', undefined, 1000, 200, false],
      ],
    );
    // Error answers cost nothing; the answer is billed at gemini-2.5-flash's list price ($0.30 / $2.50 per 1M).
    assert.deepEqual(entries.slice(0, 2).map((entry) => entry.usd), [0, 0]);
    assert.ok(Math.abs(entries[2].usd - (1000 * 0.3 + 200 * 2.5) / 1e6) < 1e-12, String(entries[2].usd));
    assert.doesNotMatch(readFileSync(path.join(directory, '.electrictown', 'ledger.jsonl'), 'utf8'), /fake-\w+-key/);
  });

  it('stops at once on a rejected key, naming the provider and the variable but never the key', async () => {
    openai.reply({ kind: 'error', status: 429, body: OPENAI_RATE_LIMITED, headers: { 'retry-after': '45' } });
    anthropic.reply({ kind: 'error', status: 401, body: ANTHROPIC_BAD_KEY });
    const result = await runEt(['--config', config, 'ask', '--role', 'mayor', 'Name a prime.'], { cwd: directory, env: KEYS });
    assert.equal(result.exitCode, 1);
    assert.equal(result.stderr, 'note: gpt: rate_limit, trying the next model\nerror: claude: invalid x-api-key (HTTP 401)\nhint: provider claude takes its key from $ET_TEST_ANTHROPIC_KEY: set it in your environment, or check its value\n');
    assert.equal(gemini.requests.length, 0, 'an auth failure is not fallen back from');
    assert.equal(anthropic.requests.length, 1, 'nor retried');
    assert.doesNotMatch(result.stdout + result.stderr + readFileSync(path.join(directory, '.electrictown', 'ledger.jsonl'), 'utf8'), /fake-\w+-key/);
  });

  it('streams to a terminal, restarting visibly after a cut; a pipe gets only the final answer', async () => {
    openai.reply({ kind: 'stream-cut', afterChunks: 3 });
    anthropic.reply({ kind: 'answer', text: 'Seven is prime.', input: 14, output: 5 });
    const terminal = await runEt(['--config', config, 'ask', '--role', 'mayor', 'Name a prime.'], { cwd: directory, env: KEYS, stdoutIsTerminal: true });
    assert.equal(terminal.stdout, 'one two \nSeven is prime.\n');
    assert.match(terminal.stderr, /^note: gpt stopped after 8 characters \(openai: .*\); the answer starts again on the next model\nnote: gpt: truncated_stream, trying the next model\n$/);
    openai.reply({ kind: 'stream-cut', afterChunks: 3 });
    anthropic.reply({ kind: 'answer', text: 'Seven is prime.', input: 14, output: 5 });
    const piped = await runEt(['--config', config, 'ask', '--role', 'mayor', 'Name a prime.'], { cwd: directory, env: KEYS });
    assert.equal(piped.stdout, 'Seven is prime.\n');
    // The cut attempt is charged at an estimate, flagged as one.
    const cut = ledger().find((entry) => entry.errorClass === 'truncated_stream');
    assert.deepEqual([cut.estimated, cut.tokens.output > 0, cut.usd > 0], [true, true, true]);
  });
});
