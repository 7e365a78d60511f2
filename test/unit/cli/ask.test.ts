// `et ask` end to end in-process: config → chain → adapter → fake Ollama → stdout and the ledger.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeOllama } from '../../helpers/fake-ollama';
import { runEt } from '../../helpers/run-cli';

describe('et ask', () => {
  let ollama: FakeOllama;
  let directory: string;
  let config: string;

  beforeEach(async () => {
    ollama = await FakeOllama.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-ask-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(config, `providers:\n  local: { type: ollama, base_url: "${ollama.origin}" }\n  cloud: { type: openai, base_url: "${ollama.origin}/v1", api_key: $ET_TEST_UNSET_KEY }\nmodels:\n  llama: { provider: local, model: llama3.2, pricing: { input: 0, output: 0 } }\n  gpt: { provider: cloud, model: gpt-x }\nroles:\n  polecat: { model: llama }\n  mayor: { model: gpt }\n`);
  });
  afterEach(() => ollama.stop());

  it('prints the answer of the role’s model and records it in the ledger', async () => {
    ollama.reply({ kind: 'answer', text: 'Seven.', promptEvalCount: 12, evalCount: 2 });
    const result = await runEt(['--config', config, 'ask', 'Name a prime.'], { cwd: directory, env: { HOME: directory } });
    assert.deepEqual(result, { exitCode: 0, stdout: 'Seven.\n', stderr: '' });
    // The alias sets no context_window: the model's own length was asked for first, and sent as num_ctx.
    assert.deepEqual(ollama.requests.map((request) => request.url), ['/api/show', '/api/chat']);
    assert.deepEqual((ollama.requests[1].body?.messages as unknown[])[0], { role: 'user', content: 'Name a prime.' });
    assert.equal((ollama.requests[1].body?.options as { num_ctx?: number }).num_ctx, 131072);
    // With no log_dir in the config, the ledger is where electrictown keeps its logs.
    const [line] = readFileSync(path.join(directory, 'Documents', 'electrictown-logs', 'ledger.jsonl'), 'utf8').trim().split('\n');
    const entry = JSON.parse(line);
    assert.deepEqual([entry.role, entry.provider, entry.alias, entry.tokens.input, entry.tokens.output, entry.usd, entry.outcome], ['polecat', 'local', 'llama', 12, 2, 0, 'ok']);
  });

  it('prints NDJSON events with --json, and notes retries on stderr otherwise', async () => {
    ollama.reply({ kind: 'error', status: 503, body: '{"error":"server busy, please try again.  maximum pending requests exceeded"}' }, { kind: 'answer', text: '7', evalCount: 1 });
    const json = await runEt(['--config', config, 'ask', '--model', 'llama', '--json', 'Name a prime.'], { cwd: directory });
    const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(events.map((event) => event.type), ['attempt-start', 'attempt-end', 'attempt-start', 'text-delta', 'attempt-end', 'usage', 'cost', 'end']);
    assert.deepEqual([events[1].outcome, events[1].errorClass], ['retry', 'overloaded']);
    assert.deepEqual(events[3], { type: 'text-delta', text: '7' });
    assert.deepEqual(events.at(-2), { type: 'cost', usd: 0, unpriced: false, answerUsd: 0, priceSource: 'config' });
    assert.deepEqual(events.at(-1), { type: 'end', model: 'llama', finishReason: 'stop', text: '7' });
    ollama.reply({ kind: 'error', status: 503, body: '{"error":"server busy, please try again.  maximum pending requests exceeded"}' }, { kind: 'answer', text: '7', evalCount: 1 });
    const plain = await runEt(['--config', config, 'ask', '--model', 'llama', 'Name a prime.'], { cwd: directory });
    assert.equal(plain.stdout, '7\n');
    assert.match(plain.stderr, /^note: llama: overloaded, retrying in \d\.\d s\n$/);
  });

  it('stops with the variable’s name when the role’s provider has no key', async () => {
    const result = await runEt(['--config', config, 'ask', '--role', 'mayor', 'hi'], { cwd: directory });
    assert.equal(result.exitCode, 1);
    assert.equal(result.stderr, 'error: cloud: needs $ET_TEST_UNSET_KEY, which is not set\nhint: provider cloud takes its key from $ET_TEST_UNSET_KEY: set it in your environment, or check its value\n');
  });

  it('explains usage mistakes', async () => {
    assert.equal((await runEt(['--config', config, 'ask'], { cwd: directory })).exitCode, 2);
    assert.equal((await runEt(['--config', config, 'ask', '--role', 'x', '--model', 'y', 'hi'], { cwd: directory })).exitCode, 2);
  });
});
