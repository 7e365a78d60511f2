// Mistakes that would change what a run does are errors; likely ones get a hint. Each at its exact text.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver/node';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { urlCredentials } from '../../../server/src/config/checks/inline-secrets';
import type { ConfigIssue } from '../../../server/src/config/issues';
import { LineIndex } from '../../../server/src/config/line-index';
import { loadConfig } from '../../../server/src/config/load-config';
import { toDiagnostic } from '../../../server/src/lsp/diagnostics';
import { createModel } from '../../../server/src/providers/create-model';
import { chainForRole } from '../../../server/src/router/chain';

const BASE = 'providers:\n  local:\n    type: ollama\nmodels:\n  fast:\n    provider: local\n    model: llama3.2\n';

/** Each issue as `severity code "the text it points at"`. */
function located(text: string, environment: Record<string, string> = {}): string[] {
  return analyzeConfig(text, environment).issues.map((issue) => `${issue.severity} ${issue.code} ${JSON.stringify(text.slice(issue.start, issue.end))}`);
}

function only(text: string, code: string): ConfigIssue[] {
  return analyzeConfig(text, {}).issues.filter((issue) => issue.code === code);
}

describe('misspelt keys', () => {
  it('are errors with "did you mean" within two edits of a known key, and withhold the config', () => {
    const text = `${BASE}    context_windw: 8192\nroles:\n  mayor:\n    model: fast\n    fallback: [fast]\n    Model: fast\n    tempratur: 0.2\n`;
    assert.deepEqual(located(text).filter((line) => line.includes('unknown-key')), [
      'error unknown-key "context_windw"',
      'error unknown-key "fallback"',
      'error unknown-key "Model"',
      'error unknown-key "tempratur"',
    ]);
    const messages = only(text, 'unknown-key').map((issue) => issue.message);
    assert.deepEqual(messages.map((message) => /did you mean "(.+)"\?$/.exec(message)?.[1]), ['context_window', 'fallbacks', 'model', 'temperature']);
    assert.equal(analyzeConfig(text, {}).config, undefined);
  });

  it('stay warnings three edits away or more, with the config still usable', () => {
    const text = `${BASE}    colour: red\n    cntxt_wndow: 1\ndefaults:\n  model: fast\n`;
    assert.deepEqual(located(text), ['warning unknown-key "colour"', 'warning unknown-key "cntxt_wndow"']);
    assert.match(only(text, 'unknown-key')[1].message, /did you mean "context_window"\?$/, 'three edits still get a suggestion');
    assert.ok(analyzeConfig(text, {}).config);
  });

  it('quote a long key (a whole flow collection) only in part', () => {
    const text = `providers:\n  p:\n    type: ollama\n    ? [${'x, '.repeat(200)}x]\n    : 1\n`;
    const [issue] = only(text, 'unknown-key');
    assert.ok(issue.message.length < 120, issue.message);
  });
});

describe('role names close to a built-in one', () => {
  it('get a hint, shown as an LSP hint, unless the role they resemble is configured too', () => {
    const text = `${BASE}roles:\n  witnes:\n    model: fast\n  polecats:\n    model: fast\n  Refinery:\n    model: fast\n  planner:\n    model: fast\n  revewer:\n    model: fast\ndefaults:\n  model: fast\n`;
    assert.deepEqual(located(text), ['hint role-name-typo "witnes"', 'hint role-name-typo "polecats"', 'hint role-name-typo "Refinery"', 'hint role-name-typo "revewer"']);
    const hints = only(text, 'role-name-typo');
    assert.deepEqual(hints.map((issue) => /did you mean "(.+)"\?$/.exec(issue.message)?.[1]), ['witness', 'polecat', 'refinery', 'reviewer']);
    assert.equal(toDiagnostic(hints[0], new LineIndex(text)).severity, DiagnosticSeverity.Hint);
    assert.ok(analyzeConfig(text, {}).config, 'custom roles are allowed');
    const bothConfigured = `${BASE}roles:\n  witness:\n    model: fast\n  witnes:\n    model: fast\n  reviewers:\n    model: fast\n`;
    assert.deepEqual(only(bothConfigured, 'role-name-typo'), [], 'witness (and so reviewer, its other name) is configured');
  });
});

describe('undefined aliases', () => {
  it('are reported at the alias, and the rest of the file is still checked', () => {
    const text = `${BASE}    max_tokens: *nope\n    context_window: -1\nroles:\n  mayor:\n    model: *later\n    system_prompt: &later fast\n`;
    assert.deepEqual(located(text), ['error unknown-alias "*nope"', 'error out-of-range "-1"', 'warning role-without-model "roles"', 'error unknown-alias "*later"']);
    assert.match(only(text, 'unknown-alias')[0].message, /^alias \*nope names no anchor &nope defined before it$/);
  });

  it('do not hide an alias bomb', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...'bcdef'.split('').map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdef'[index]}`).join(',')}]`)].join('\n');
    assert.deepEqual(analyzeConfig(`${bomb}\ng: *nope\n`, {}).issues.map((issue) => issue.code), ['yaml-syntax', 'unknown-alias']);
    assert.match(analyzeConfig(bomb, {}).issues[0].message, /alias bomb/);
  });
});

describe('merge keys', () => {
  const text = `${BASE}  coder:\n    <<: *fast_model\n    model: qwen2.5-coder\n`.replace('  fast:\n', '  fast: &fast_model\n');

  it('are read by the checks and by the loader, and reach the router', async () => {
    const withRoles = `${text}defaults:\n  model: coder\n  fallbacks: [fast]\n`;
    assert.deepEqual(located(withRoles), []);
    const directory = mkdtempSync(path.join(tmpdir(), 'et-merge-'));
    const file = path.join(directory, 'electrictown.yaml');
    writeFileSync(file, withRoles);
    const config = await loadConfig(file, {});
    assert.deepEqual(config.models?.coder, { provider: 'local', model: 'qwen2.5-coder' });
    const chain = chainForRole(config, 'mayor');
    assert.deepEqual(chain.entries.map((entry) => `${entry.provider}/${entry.modelId}`), ['local/qwen2.5-coder', 'local/llama3.2']);
    assert.equal(createModel(config, {}, chain.entries[0]).modelId, 'qwen2.5-coder');
  });

  it('point an issue with a merged setting at where it is written, one issue per entry that merges it', () => {
    const broken = `${BASE}roles:\n  mayor: &role\n    model: fast\n    temperature: 3\n  polecat:\n    <<: *role\n  witness: { <<: [*role], model: fast }\n`;
    assert.deepEqual(located(broken), ['warning role-without-model "roles"', 'error out-of-range "3"', 'error out-of-range "3"', 'error out-of-range "3"']);
    assert.deepEqual(only(broken, 'out-of-range').map((issue) => issue.message.split(' ')[0]), ['roles.mayor.temperature', 'roles.polecat.temperature', 'roles.witness.temperature']);
  });
});

describe('merge keys that name no mapping', () => {
  const roles = (merge: string) => `${BASE}roles:\n  mayor: &role\n    model: fast\n    system_prompt: &list [a, b]\n  polecat:\n    <<: ${merge}\n    temperature: 9\n  witness:\n    model: *five\n`;

  it('are errors at the merged value, which merges nothing, and the rest is still checked', () => {
    for (const merge of ['5', '*list', '"x"']) {
      assert.deepEqual(located(roles(merge)), ['warning role-without-model "roles"', 'error invalid-type "[a, b]"', `error invalid-merge ${JSON.stringify(merge)}`, 'error out-of-range "9"', 'error unknown-alias "*five"'], merge);
    }
    // The good source of a list is still merged (and its problems pointed at where they are written).
    assert.deepEqual(only(roles('[*role, 5]'), 'invalid-type').map((issue) => issue.message.split(' ')[0]), ['roles.mayor.system_prompt', 'roles.polecat.system_prompt']);
    assert.match(only(roles('5'), 'invalid-merge')[0].message, /^a merge key \(<<\) takes a mapping, an alias of one, or a list of them/);
  });

  it('keep an anchor on the replaced value for aliases elsewhere, and give up cleanly when one is deeper inside', () => {
    assert.deepEqual(located(roles('&five 5')).slice(-1), ['error invalid-type "*five"']);
    assert.deepEqual(located(roles('[[&five 1]]')), ['error invalid-merge "[[&five 1]]"']);
    // With no value at all, on the key (found by the fuzzer: an empty range at the end was widened past it).
    assert.deepEqual(located('<<:'), ['error invalid-merge "<<"', 'error no-providers "<<:"']);
  });
});

describe('auth_type ""', () => {
  it('means the default, for the checks and for the typed config', () => {
    const text = 'providers:\n  p:\n    type: openai\n    api_key: $KEY\n    auth_type: ""\ndefaults:\n  model: p/gpt-5\n';
    const analysis = analyzeConfig(text, { KEY: 'k' });
    assert.deepEqual(analysis.issues, []);
    assert.equal(analysis.config?.providers.p.auth_type, undefined);
    assert.deepEqual(located(text.replace('""', 'beerer'), { KEY: 'k' }), ['error invalid-value "beerer"']);
    assert.match(only(text.replace('""', 'beerer'), 'invalid-value')[0].message, /must be one of bearer, basic, none, got "beerer" — did you mean "bearer"\?$/);
  });
});

describe('a fallback that is the primary under another name', () => {
  it('is flagged at the fallback, for roles (primary from the role or the defaults) and specialists', () => {
    const text = `${BASE}  quick:\n    provider: local\n    model: llama3.2\n  other:\n    provider: local\n    model: qwen\nroles:\n  mayor:\n    model: quick\n    fallbacks: [other, fast]\n  polecat:\n    fallbacks: [local/llama3.2]\ndefaults:\n  model: fast\nspecialists:\n  docs:\n    model: other\n    fallbacks: [local/qwen]\n`;
    assert.deepEqual(located(text), ['warning fallback-is-primary "fast"', 'warning fallback-is-primary "local/llama3.2"', 'warning fallback-is-primary "local/qwen"']);
    assert.match(only(text, 'fallback-is-primary')[0].message, /^"fast" is the same model as roles\.mayor's primary "quick" \(local\/llama3\.2\)/);
  });

  it('is not flagged for another model, or another provider serving a model of the same name', () => {
    const text = `providers:\n  a:\n    type: ollama\n  b:\n    type: ollama\n    base_url: http://other:11434\nmodels:\n  one:\n    provider: a\n    model: llama3.2\n  two:\n    provider: b\n    model: llama3.2\nroles:\n  mayor:\n    model: one\n    fallbacks: [two, a/qwen]\ndefaults:\n  model: one\n`;
    assert.deepEqual(only(text, 'fallback-is-primary'), []);
  });
});

describe('keys written into headers and base_url', () => {
  it('finds a URL\'s password, a token as its user name, and key-like query parameters, only when written literally', () => {
    assert.deepEqual(urlCredentials('https://bob:hunter2@h/v1'), [{ where: "the URL's password", text: 'hunter2' }]);
    assert.deepEqual(urlCredentials('https://ghp_0123456789abcdefghij@h/'), [{ where: "the URL's user name", text: 'ghp_0123456789abcdefghij' }]);
    assert.deepEqual(urlCredentials('https://h/v1beta?alt=sse&key=AIza123&api_key=x&access_token=y#key=z'), [
      { where: 'its key= parameter', text: 'AIza123' },
      { where: 'its api_key= parameter', text: 'x' },
      { where: 'its access_token= parameter', text: 'y' },
    ]);
    for (const clean of ['https://bob@h/v1', 'https://bob:$PASS@h/', 'https://h/?key=${GEMINI_KEY}', 'https://h/?keys=1&monkey=2', 'https://h/?key=', 'http://localhost:11434']) {
      assert.deepEqual(urlCredentials(clean), [], clean);
    }
  });

  it('flags header values that carry a literal key, at the value, never quoting it', () => {
    const secret = 'sk-proj-0123456789abcdef';
    const text = `providers:\n  p:\n    type: openai\n    api_key: $KEY\n    headers:\n      Authorization: "Bearer ${secret}"\n      X-Custom: ${secret}\n      Proxy-Token: abcdefghijklmnopqrstu\n      X-Title: electrictown-coding-agent\n      anthropic-beta: prompt-caching-2024-07-31\n      X-Api-Key: $OTHER_KEY\n      Cookie: short\ndefaults:\n  model: p/x\n`;
    const environment = { KEY: 'k', OTHER_KEY: 'o' };
    assert.deepEqual(located(text, environment), [`warning inline-secret "\\"Bearer ${secret}\\""`, `warning inline-secret "${secret}"`, 'warning inline-secret "abcdefghijklmnopqrstu"']);
    for (const issue of analyzeConfig(text, environment).issues) {
      assert.ok(!issue.message.includes(secret) && !issue.message.includes('abcdefghij'), issue.message);
    }
  });

  it('flag base_url credentials at the credential itself', () => {
    const text = 'providers:\n  g:\n    type: gemini\n    base_url: https://generativelanguage.googleapis.com/v1beta?key=AIzaLITERAL\n';
    const [issue] = only(text, 'inline-secret');
    assert.equal(text.slice(issue.start, issue.end), 'AIzaLITERAL');
    assert.ok(!issue.message.includes('AIzaLITERAL'));
  });
});
