// `electrictown/preflight` on the built server, against fake providers on 127.0.0.1: one OpenAI that
// answers, one Ollama that answers without the model a role wants, one Ollama that is not running, and a
// provider whose key variable is unset. The reply names each problem once, never a key; a second check
// within the minute asks only the endpoints that failed.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PreflightResult } from '../../server/src/protocol';
import { FakeOllama } from '../helpers/fake-ollama';
import { FakeOpenAi } from '../helpers/fake-openai';
import { LspProcess } from '../helpers/lsp-process';

const KEY = 'sk-preflight-test-key-0123456789';

describe('electrictown/preflight (protocol)', function () {
  let server: LspProcess;
  let openai: FakeOpenAi;
  let ollama: FakeOllama;
  let downOrigin: string;
  let folder: string;

  before(async () => {
    [openai, ollama] = await Promise.all([FakeOpenAi.start(), FakeOllama.start()]);
    const down = await FakeOllama.start();
    downOrigin = down.origin;
    await down.stop();
    folder = mkdtempSync(path.join(tmpdir(), 'et-preflight-'));
    writeFileSync(
      path.join(folder, 'electrictown.yaml'),
      `providers:
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_PREFLIGHT_KEY }
  local: { type: ollama, base_url: "${ollama.origin}" }
  offline: { type: ollama, base_url: "${downOrigin}" }
  claude: { type: anthropic, base_url: "${openai.origin}", api_key: $ET_TEST_UNSET_KEY }
models:
  gpt: { provider: openai, model: gpt-4.1-mini }
  coder: { provider: local, model: qwen2.5-coder:7b }
  general: { provider: offline, model: llama3.2 }
  sonnet: { provider: claude, model: claude-sonnet-4-5 }
roles:
  mayor: { model: gpt }
  polecat: { model: coder }
  witness: { model: general }
  refinery: { model: sonnet }
`,
    );
    server = LspProcess.start({ ET_TEST_PREFLIGHT_KEY: KEY });
    await server.initialize({ rootUri: pathToFileURL(folder).toString() });
  });
  after(async () => {
    server.kill();
    await Promise.all([openai.stop(), ollama.stop()]);
  });

  it('names each problem once, with the roles it stops, and never the key', async () => {
    const result = await server.request<PreflightResult>('electrictown/preflight', {});
    assert.equal(result.configPath, path.join(folder, 'electrictown.yaml'));
    assert.deepEqual(
      result.problems.map((problem) => [problem.kind, problem.message, problem.variable ?? null]),
      [
        ['model-missing', `model "qwen2.5-coder:7b" is not on Ollama at ${ollama.origin}: ollama pull qwen2.5-coder:7b (polecat)`, null],
        ['unreachable', `Ollama is not running at ${downOrigin}: start it (ollama serve), or point the roles at another provider (witness)`, null],
        ['unset-variable', 'ET_TEST_UNSET_KEY is not set: provider "claude" reads it (refinery)', 'ET_TEST_UNSET_KEY'],
      ],
    );
    assert.deepEqual(
      result.roles.map((role) => [role.role, role.provider, role.key, role.reachable]),
      [
        ['mayor', 'openai', 'set', true],
        ['polecat', 'local', 'none', true],
        ['witness', 'offline', 'none', false],
        ['refinery', 'claude', 'unset', null],
      ],
    );
    // The unset key's provider was not asked; the others once each, with the key where it belongs.
    assert.deepEqual(openai.requests.map((request) => [request.method, request.url]), [['GET', '/v1/models']]);
    assert.equal(openai.requests[0].headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(ollama.requests.map((request) => request.url), ['/api/tags']);
    assert.ok(!JSON.stringify(result).includes(KEY));
    assert.ok(!server.stderr.includes(KEY));
  });

  it('asks again within the minute only what failed', async () => {
    const again = await server.request<PreflightResult>('electrictown/preflight', {});
    assert.equal(again.problems.length, 3);
    assert.equal(openai.requests.length, 1);
    assert.equal(ollama.requests.length, 1);
  });

  it('says there is no config, and where it looked', async () => {
    const result = await server.request<PreflightResult>('electrictown/preflight', { configPath: 'elsewhere/electrictown.yaml' });
    assert.equal(result.configPath, null);
    assert.deepEqual(result.problems, [{ kind: 'no-config', message: `no electrictown.yaml: looked for ${path.join(folder, 'elsewhere', 'electrictown.yaml')}`, roles: [] }]);
  });

  it('refuses params that are not its own', async () => {
    const reply = await server.reply('electrictown/preflight', { configPath: 7 });
    assert.equal(reply.error?.code, -32602);
  });

  it('says why a provider refused, with the key it was sent nowhere in the answer', async () => {
    const refusing = await FakeOpenAi.start();
    const wrongKey = 'sk-proj-wrongkey0123456789abcdefwxyz';
    refusing.modelsError = {
      status: 401,
      body: JSON.stringify({ error: { message: 'Incorrect API key provided: sk-proj-***************wxyz. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }, null, 4),
    };
    const other = mkdtempSync(path.join(tmpdir(), 'et-preflight-401-'));
    writeFileSync(path.join(other, 'electrictown.yaml'), `providers:\n  openai: { type: openai, base_url: "${refusing.baseUrl}", api_key: $ET_TEST_WRONG_KEY }\nmodels:\n  gpt: { provider: openai, model: gpt-4.1-mini }\ndefaults:\n  model: gpt\n`);
    const second = LspProcess.start({ ET_TEST_WRONG_KEY: wrongKey });
    try {
      await second.initialize({ rootUri: pathToFileURL(other).toString() });
      const result = await second.request<PreflightResult>('electrictown/preflight', {});
      assert.equal(result.problems.length, 1);
      assert.equal(result.problems[0].kind, 'unreachable');
      assert.match(result.problems[0].message, new RegExp(`^provider "openai" at ${refusing.baseUrl.replace(/[.]/g, '\\.')} did not answer: Incorrect API key provided: .*\\(mayor, polecat, witness, refinery\\)$`));
      const text = JSON.stringify(result);
      for (const secret of [wrongKey, 'sk-proj-***************wxyz']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
      assert.ok(!second.stderr.includes(wrongKey));
    } finally {
      second.kill();
      await refusing.stop();
    }
  });
});
