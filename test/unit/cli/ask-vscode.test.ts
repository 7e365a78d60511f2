// `et` in a terminal with a role on VS Code's models (`type: vscode`): the call fails at once, naming
// why, and the chain moves on to the next model; with nothing after it, the command fails saying so.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { runEt } from '../../helpers/run-cli';

const KEYS = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };
const WHY = "a provider of type vscode needs the electrictown extension: VS Code's language models are only reachable from inside VS Code";

describe('et ask with a VS Code model outside the editor', () => {
  let openai: FakeOpenAi;
  let directory: string;
  let config: string;

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-ask-vscode-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(
      config,
      `providers:
  vscode: { type: vscode }
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_OPENAI_KEY }
models:
  copilot: { provider: vscode, model: copilot/gpt-4o }
  gpt: { provider: openai, model: gpt-4.1-mini, pricing: { input: 0.4, output: 1.6 } }
roles:
  mayor: { model: copilot, fallbacks: [gpt] }
  witness: { model: copilot }
defaults:
  log_dir: .electrictown
`,
    );
  });
  afterEach(() => openai.stop());

  it('falls back to the next model, saying why the editor’s model could not answer', async () => {
    openai.reply({ kind: 'answer', text: 'Seven is prime.' });
    const result = await runEt(['--config', config, 'ask', '--role', 'mayor', 'Name a prime.'], { cwd: directory, env: KEYS });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, 'Seven is prime.\n');
    assert.match(result.stderr, /copilot: bad_request, trying the next model/);
    assert.equal(openai.requests.length, 1);
    const ledger = readFileSync(path.join(directory, '.electrictown', 'ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(ledger.map((entry) => [entry.providerType, entry.outcome, entry.errorClass ?? null]), [['vscode', 'fallback', 'bad_request'], ['openai', 'ok', null]]);
  });

  it('fails with the reason when no other model can answer', async () => {
    const result = await runEt(['--config', config, 'ask', '--role', 'witness', 'Name a prime.'], { cwd: directory, env: KEYS });
    assert.notEqual(result.exitCode, 0);
    assert.ok(result.stderr.includes(WHY), result.stderr);
    assert.equal(openai.requests.length, 0);
  });
});
