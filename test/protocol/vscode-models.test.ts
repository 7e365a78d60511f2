// `type: vscode` providers over `et serve --stdio`: a client that declared `languageModels` answers
// `electrictown/lm/chat` (streaming the text as `electrictown/lm/chatChunk`) and a whole run completes
// on its models, unpriced and estimated; a client that did not declare it is never asked, and each
// role falls back to the OpenAI model of its chain.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LanguageModelChatParams, LanguageModelChatResult, RunEvent, RunRecord, RunStarted } from '../../server/src/protocol';
import { FakeOpenAi } from '../helpers/fake-openai';
import { recogniseCall, team } from '../helpers/fake-team';
import type { RecordedRequest } from '../helpers/fake-server';
import { GREET, goodTeam, MAIN, README } from '../helpers/greeter-scenario';
import { LspProcess } from '../helpers/lsp-process';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };

function config(openAiBaseUrl: string): string {
  return `providers:
  vscode: { type: vscode }
  openai: { type: openai, base_url: "${openAiBaseUrl}", api_key: $ET_TEST_OPENAI_KEY }
models:
  copilot: { provider: vscode, model: copilot/gpt-4o }
  copilot-claude: { provider: vscode, model: copilot/claude-sonnet-4 }
  coder: { provider: openai, model: coder-1, pricing: { input: 1, output: 4 } }
  judge: { provider: openai, model: judge-1, pricing: { input: 1, output: 4 } }
roles:
  mayor: { model: copilot, fallbacks: [coder] }
  polecat: { model: vscode/copilot/gpt-4o, fallbacks: [coder] }
  # The witness never reviews with the worker's own model: a model of its own, in both chains.
  witness: { model: copilot-claude, fallbacks: [judge] }
  refinery: { model: copilot, fallbacks: [coder] }
defaults:
  log_dir: logs
`;
}

describe('VS Code’s models over et serve --stdio', function () {
  this.timeout(30_000);
  let openai: FakeOpenAi;
  let server: LspProcess;
  let directory: string;

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-serve-vscode-'));
    writeFileSync(path.join(directory, 'electrictown.yaml'), config(openai.baseUrl));
    server = LspProcess.start(KEY);
  });
  afterEach(async () => {
    server.kill();
    await openai.stop();
  });

  const events = (runId: string) => server.runEvents(runId);
  const runEnd = (runId: string) => server.runEnd(runId, 25_000);
  const attempts = (runId: string) => events(runId).filter((event): event is Extract<RunEvent, { kind: 'attempt-end' }> => event.kind === 'attempt-end');

  it('runs a task on the editor’s models: each answer streamed as chunks, then the result; nothing reaches OpenAI', async () => {
    const asked: LanguageModelChatParams[] = [];
    server.onServerRequest('electrictown/lm/chat', (raw) => {
      const params = raw as LanguageModelChatParams;
      asked.push(params);
      const text = goodTeam(recogniseCall({ method: 'POST', url: '/lm/chat', headers: {}, raw: '', at: 0, body: { model: params.model, messages: params.messages } } satisfies RecordedRequest));
      // The text in two parts, before the answer, as the extension streams it.
      const half = Math.floor(text.length / 2);
      for (const part of [text.slice(0, half), text.slice(half)]) server.notify('electrictown/lm/chatChunk', { requestId: params.requestId, text: part });
      return { outcome: 'ok', text, answeredBy: 'copilot/gpt-4o/gpt-4o-2024-11-20', inputTokens: 40, outputTokens: 20 } satisfies LanguageModelChatResult;
    });
    await server.initialize({ rootUri: pathToFileURL(directory).href, initializationOptions: { languageModels: true } });
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', workers: 2 });
    await runEnd(started.runId);

    const record = await server.request<RunRecord>('electrictown/getRun', { runId: started.runId });
    assert.equal(record.status, 'succeeded', JSON.stringify(events(started.runId).filter((event) => event.kind === 'run-end')));
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'main.ts'), 'utf8'), MAIN);
    assert.equal(readFileSync(path.join(directory, 'out', 'README.md'), 'utf8'), README);
    assert.equal(openai.requests.length, 0, JSON.stringify(attempts(started.runId).map((call) => [call.purpose, call.provider, call.outcome, call.errorClass])) + JSON.stringify(openai.requests.map((request) => request.body?.model)));
    // Every call went to the editor, with the selector the config's id reads as.
    assert.ok(asked.length >= 4, `${asked.length} requests`);
    const selectors = new Map(asked.map((params) => [params.model, params.selector]));
    assert.deepEqual([...selectors].sort(), [
      ['copilot/claude-sonnet-4', { vendor: 'copilot', family: 'claude-sonnet-4' }],
      ['copilot/gpt-4o', { vendor: 'copilot', family: 'gpt-4o' }],
    ]);
    assert.equal(new Set(asked.map((params) => params.requestId)).size, asked.length, 'one request id per call');
    // Unpriced (the editor's subscription pays), counted by the model's tokenizer: estimated.
    const calls = attempts(started.runId);
    assert.ok(calls.length === asked.length && calls.every((call) => call.provider === 'vscode' && call.outcome === 'ok' && call.usd === null && call.estimated && call.tokens.input === 40 && call.tokens.output === 20), JSON.stringify(calls));
    // The chunk notifications passed the strict protocol checks: nothing was refused or logged as wrong.
    assert.doesNotMatch(server.stderr, /chatChunk/);
    assert.ok(!server.messages.some((message) => message.method === 'window/logMessage' && /chatChunk|invalid/i.test(JSON.stringify(message.params))), 'no complaint about a chunk');
  });

  it('never asks a client that did not declare languageModels: each role falls back to its OpenAI model', async () => {
    let asked = 0;
    server.onServerRequest('electrictown/lm/chat', () => {
      asked++;
      return null;
    });
    openai.respondWith(team(goodTeam).responder);
    await server.initialize({ rootUri: pathToFileURL(directory).href, initializationOptions: {} });
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', workers: 2 });
    await runEnd(started.runId);

    assert.equal((await server.request<RunRecord>('electrictown/getRun', { runId: started.runId })).status, 'succeeded', JSON.stringify(events(started.runId).filter((event) => event.kind === 'run-end' || event.kind === 'attempt-end')));
    assert.equal(readFileSync(path.join(directory, 'out', 'src', 'greet.ts'), 'utf8'), GREET);
    assert.equal(asked, 0);
    const calls = attempts(started.runId);
    const editor = calls.filter((call) => call.provider === 'vscode');
    assert.ok(editor.length > 0 && editor.every((call) => call.outcome === 'fallback' && call.errorClass === 'bad_request' && call.tokens.input === 0 && call.tokens.output === 0), JSON.stringify(editor));
    assert.ok(calls.filter((call) => call.provider === 'openai').every((call) => call.outcome === 'ok'));
    assert.equal(calls.filter((call) => call.provider === 'openai').length, openai.requests.length);
  });
});
