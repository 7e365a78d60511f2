import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeConfig } from '../../../server/src/config/analyze';

const EXAMPLE = path.join(__dirname, '..', '..', '..', 'electrictown.yaml');

function codes(text: string, environment: Record<string, string> = {}): string[] {
  return analyzeConfig(text, environment).issues.map((issue) => issue.code);
}

describe('analyzeConfig', () => {
  it('loads the example config with no environment variable set, and no issue at all', () => {
    const analysis = analyzeConfig(readFileSync(EXAMPLE, 'utf8'), {});
    assert.deepEqual(analysis.issues, []);
    assert.ok(analysis.config);
    for (const role of ['mayor', 'polecat', 'witness', 'refinery']) {
      const model: string | undefined = analysis.config.roles?.[role]?.model;
      assert.ok(model, `${role} has a model`);
      assert.equal(analysis.config.models?.[model]?.provider, 'ollama', `${role} runs on the local Ollama`);
    }
  });

  it('returns the typed config despite warnings, with unknown keys dropped', () => {
    const analysis = analyzeConfig('providers:\n  local:\n    type: ollama\n    colour: red\n', {});
    assert.deepEqual(codes('providers:\n  local:\n    type: ollama\n    colour: red\n'), ['unknown-key']);
    assert.deepEqual(analysis.config, { providers: { local: { type: 'ollama' } } });
  });

  it('withholds the config when there is an error', () => {
    assert.equal(analyzeConfig('providers:\n  local:\n    type: olama\n', {}).config, undefined);
  });

  it('resolves $VAR and ${VAR} from the given environment, not from the process', () => {
    const text = 'providers:\n  p:\n    type: openai\n    base_url: ${ET_BASE}\n    api_key: $ET_KEY\n';
    process.env.ET_BASE = 'https://from-the-process.example/v1';
    try {
      assert.deepEqual(codes(text), ['unset-env-var', 'unset-env-var']);
    } finally {
      delete process.env.ET_BASE;
    }
    assert.deepEqual(codes(text, { ET_BASE: 'https://example.com/v1', ET_KEY: 'k' }), []);
    assert.deepEqual(codes(text, { ET_BASE: 'not a url', ET_KEY: 'k' }), ['invalid-url']);
  });

  it('checks basic auth against the resolved key without ever quoting it', () => {
    const text = 'providers:\n  p:\n    type: openai\n    auth_type: basic\n    api_key: $ET_KEY\n';
    assert.deepEqual(codes(text, { ET_KEY: 'user:pass' }), []);
    const issues = analyzeConfig(text, { ET_KEY: 'supersecretvalue' }).issues;
    assert.deepEqual(issues.map((issue) => issue.code), ['auth-basic-format']);
    assert.ok(!issues[0].message.includes('supersecretvalue'));
  });

  it('never quotes the value of an environment variable, nor URL credentials or queries', () => {
    const secret = 'sk-live-SECRET123';
    const base = (url: string, type = 'openai') => `providers:\n  p:\n    type: ${type}\n    base_url: ${url}\n`;
    const messages = [
      ...analyzeConfig(base('${GATEWAY_URL}'), { GATEWAY_URL: secret }).issues,
      ...analyzeConfig(base('https://proxy/$PROXY_TOKEN/v1', 'anthropic'), { PROXY_TOKEN: secret }).issues,
      ...analyzeConfig(base(`ftp://user:${secret}@host/`), {}).issues,
      ...analyzeConfig(base(`ftp://host/?key=${secret}`), {}).issues,
      ...analyzeConfig(`providers:\n  p:\n    type: openai\n    api_key: |${secret}\n`, {}).issues,
    ].map((issue) => issue.message);
    assert.equal(messages.length, 5, messages.join('\n'));
    for (const message of messages) assert.ok(!message.includes('SECRET'), message);
  });

  it('asks an openai-compatible provider for its base_url, and accepts one that has it', () => {
    const without = analyzeConfig('providers:\n  local:\n    type: openai-compatible\n', {});
    assert.deepEqual(without.issues.map((issue) => [issue.severity, issue.code]), [['error', 'missing-base-url']]);
    assert.match(without.issues[0].message, /providers\.local has type openai-compatible but no base_url/);
    assert.equal(without.config, undefined);
    const withUrl = analyzeConfig('providers:\n  local:\n    type: openai-compatible\n    base_url: http://localhost:8000/v1\n', {});
    assert.deepEqual(withUrl.issues, []);
    assert.equal(withUrl.config?.providers.local.type, 'openai-compatible');
  });

  it('never puts a literal api_key or header value into a message', () => {
    const secret = 'fake-secret-0123456789abcdefghij';
    const text = `providers:\n  p:\n    type: openai\n    api_key: ${secret}\n    auth_type: basic\n    headers:\n      X-Key: 42\n      X-Other: [${secret}]\n`;
    const issues = analyzeConfig(text, {}).issues;
    assert.ok(issues.length >= 3, JSON.stringify(issues));
    for (const issue of issues) assert.ok(!issue.message.includes(secret) && !issue.message.includes('42'), issue.message);
  });

  it('accepts a provider/model reference only for a configured provider', () => {
    const base = 'providers:\n  local:\n    type: ollama\nroles:\n  mayor:\n    model: ';
    assert.deepEqual(codes(`${base}local/llama3.2\n`), []);
    assert.deepEqual(codes(`${base}remote/llama3.2\n`), ['unknown-model']);
  });

  it('reads empty sections as absent', () => {
    assert.deepEqual(codes('providers:\n  local:\n    type: ollama\nmodels:\nroles:\nspecialists:\n'), []);
  });

});
