// `et ask` reading its prompt from standard input, saying when an answer stopped at the output cap,
// and asking an `openai-compatible` server.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeOllama } from '../../helpers/fake-ollama';
import { FakeOpenAi } from '../../helpers/fake-openai';
import { runEt } from '../../helpers/run-cli';

describe('et ask: standard input, output cap, openai-compatible', () => {
  let ollama: FakeOllama;
  let compatible: FakeOpenAi;
  let directory: string;
  let config: string;

  const lastPrompt = () => {
    const chats = ollama.requests.filter((request) => request.url === '/api/chat');
    return (chats.at(-1)?.body?.messages as { content: string }[] | undefined)?.at(-1)?.content;
  };

  beforeEach(async () => {
    ollama = await FakeOllama.start();
    compatible = await FakeOpenAi.start({ keepAliveComments: true, usage: 'final-chunk', plainUsage: true });
    directory = mkdtempSync(path.join(tmpdir(), 'et-ask-input-'));
    config = path.join(directory, 'electrictown.yaml');
    writeFileSync(
      config,
      [
        'providers:',
        `  local: { type: ollama, base_url: "${ollama.origin}" }`,
        `  vllm: { type: openai-compatible, base_url: "${compatible.baseUrl}" }`,
        'models:',
        '  llama: { provider: local, model: llama3.2, context_window: 8192, max_tokens: 64, pricing: { input: 0, output: 0 } }',
        '  coder: { provider: vllm, model: qwen2.5-coder, max_tokens: 128, pricing: { input: 0, output: 0 } }',
        'roles:',
        '  polecat: { model: llama }',
        `defaults: { log_dir: "${path.join(directory, 'logs')}" }`,
        '',
      ].join('\n'),
    );
  });
  afterEach(() => Promise.all([ollama.stop(), compatible.stop()]));

  it('reads the prompt from a pipe when no argument is given, and from standard input for -', async () => {
    const piped = await runEt(['--config', config, 'ask'], { cwd: directory, stdin: 'diff --git a/x b/x\n+const x = 1;\n\n' });
    assert.deepEqual([piped.exitCode, piped.stdout, piped.stderr], [0, 'Seven is prime.\n', '']);
    assert.equal(lastPrompt(), 'diff --git a/x b/x\n+const x = 1;');
    const dash = await runEt(['--config', config, 'ask', '--model', 'llama', '-'], { cwd: directory, stdin: 'Name a prime.\n' });
    assert.equal(dash.exitCode, 0);
    assert.equal(lastPrompt(), 'Name a prime.');
    // An argument wins over a pipe.
    await runEt(['--config', config, 'ask', 'From the argument.'], { cwd: directory, stdin: 'From the pipe.' });
    assert.equal(lastPrompt(), 'From the argument.');
  });

  it('refuses an empty standard input, and - with none to read, as usage mistakes', async () => {
    const empty = await runEt(['--config', config, 'ask'], { cwd: directory, stdin: ' \n\n' });
    assert.equal(empty.exitCode, 2);
    assert.match(empty.stderr, /^error: the prompt read from standard input is empty\n/);
    const none = await runEt(['--config', config, 'ask', '-'], { cwd: directory });
    assert.equal(none.exitCode, 2);
    assert.match(none.stderr, /^error: ask - reads the prompt from standard input, and there is none\n/);
    assert.equal(ollama.requests.length, 0);
  });

  it('documents standard input in et ask --help', async () => {
    const help = await runEt(['ask', '--help'], { cwd: directory });
    assert.equal(help.exitCode, 0);
    assert.match(help.stdout, /with - it is read from standard input, and so it is when no argument is\ngiven and standard input is a pipe or a file/);
    assert.match(help.stdout, /git diff \| et ask --role witness/);
  });

  it('says on stderr, and flags in the attempt record, that an answer stopped at the output cap', async () => {
    ollama.reply({ kind: 'answer', text: 'The primes below a hundred are 2, 3, 5', doneReason: 'length', evalCount: 64 });
    const cut = await runEt(['--config', config, 'ask', 'List the primes below a hundred.'], { cwd: directory });
    assert.equal(cut.exitCode, 0);
    assert.equal(cut.stdout, 'The primes below a hundred are 2, 3, 5\n');
    assert.equal(cut.stderr, 'note: llama: the answer stopped at the output cap (max_tokens 64) and is incomplete; raise max_tokens for a longer one\n');
    ollama.reply({ kind: 'answer', text: 'The primes below', doneReason: 'length', evalCount: 64 });
    const json = await runEt(['--config', config, 'ask', '--json', 'List the primes below a hundred.'], { cwd: directory });
    const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const end = events.find((event) => event.type === 'attempt-end');
    assert.deepEqual([end.outcome, end.cutAtOutputCap], ['ok', true]);
    assert.equal(events.at(-1).finishReason, 'length');
    // A whole answer carries no flag and no note.
    const whole = await runEt(['--config', config, 'ask', '--json', 'Name a prime.'], { cwd: directory });
    assert.equal(JSON.parse(whole.stdout.split('\n')[1]).cutAtOutputCap, undefined);
    assert.equal(whole.stderr, '');
  });

  it('asks an openai-compatible server with max_tokens, reading its quirky stream', async () => {
    compatible.reply({ kind: 'answer', text: 'def is_prime(n): ...', usage: { prompt: 40, completion: 9 } });
    const result = await runEt(['--config', config, 'ask', '--model', 'coder', '--json', 'Write is_prime.'], { cwd: directory });
    assert.equal(result.exitCode, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(events.at(-1), { type: 'end', model: 'coder', finishReason: 'stop', text: 'def is_prime(n): ...' });
    const usage = events.find((event) => event.type === 'usage');
    assert.deepEqual([usage.inputTokens, usage.outputTokens], [40, 9]);
    assert.deepEqual([compatible.requests[0].url, compatible.requests[0].body?.max_tokens, compatible.requests[0].body?.max_completion_tokens], ['/v1/chat/completions', 128, undefined]);
  });
});
