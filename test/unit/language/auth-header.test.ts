// The hover's "sent as" header must be what the adapters really send, for every provider type and auth_type.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { AUTH_TYPES, PROVIDER_TYPES, type AuthType, type ProviderType } from '../../../server/src/config/schema';
import { authHeaderFor } from '../../../server/src/language/auth-header';
import { hoverAt } from '../../../server/src/language/navigation';
import { anthropicHeaders } from '../../../server/src/providers/anthropic/anthropic-model';
import { authorizationHeader } from '../../../server/src/providers/auth-headers';
import { geminiHeaders } from '../../../server/src/providers/gemini/gemini-model';
import { DEFAULT_TIMEOUTS } from '../../../server/src/providers/http';
import { openAiHeaders } from '../../../server/src/providers/openai/openai-model';

const KEY = 'user:KEY-SENTINEL';

/** The headers an adapter sends for a key (OpenAiModel serves openai-compatible too; Ollama's adapter sends authorizationHeader's, as list-models does). */
function adapterHeaders(type: ProviderType, authType: AuthType | undefined, apiKey: string | undefined): Record<string, string> {
  const settings = { provider: 'p', baseUrl: 'http://127.0.0.1:1', apiKey, authType, headers: {}, timeouts: DEFAULT_TIMEOUTS };
  if (type === 'openai' || type === 'openai-compatible') return openAiHeaders({ ...settings, org: undefined });
  if (type === 'anthropic') return anthropicHeaders(settings);
  if (type === 'gemini') return geminiHeaders(settings);
  // VscodeModel sends no HTTP request: the editor signs in for its models.
  if (type === 'vscode') return {};
  return authorizationHeader(authType, apiKey);
}

/** The header carrying the key, written as the hover writes it. */
function keyHeader(headers: Record<string, string>): string | undefined {
  const encoded = Buffer.from(KEY).toString('base64');
  const carrying = Object.entries(headers).filter(([, value]) => value.includes(KEY) || value.includes(encoded));
  assert.ok(carrying.length <= 1, JSON.stringify(headers));
  if (carrying.length === 0) return undefined;
  const [name, value] = carrying[0];
  return `${name.toLowerCase()}: ${value.replace(KEY, '<key>').replace(encoded, 'base64(<key>)')}`;
}

describe('the header a key is sent in', () => {
  for (const type of PROVIDER_TYPES) {
    for (const authType of [undefined, ...AUTH_TYPES]) {
      it(`${type}, auth_type ${authType ?? '(not set)'}: as the adapter sends it`, () => {
        const described = authHeaderFor(type, authType, true);
        assert.equal(described && `${described.name.toLowerCase()}: ${described.value}`, keyHeader(adapterHeaders(type, authType, KEY)));
        assert.equal(authHeaderFor(type, authType, false), undefined);
        assert.equal(keyHeader(adapterHeaders(type, authType, undefined)), undefined);
      });
    }
  }

  it('is named in the provider hover, never with the key', () => {
    const text = [
      'providers:',
      '  oa:\n    type: openai\n    api_key: $OA_KEY',
      '  an:\n    type: anthropic\n    api_key: $AN_KEY',
      '  an_bearer:\n    type: anthropic\n    api_key: $AN_KEY\n    auth_type: bearer',
      '  ge:\n    type: gemini\n    api_key: $GE_KEY',
      '  ol:\n    type: ollama',
      '  off:\n    type: openai\n    api_key: $OA_KEY\n    auth_type: none',
      '  empty:\n    type: anthropic\n    api_key: $AN_KEY\n    auth_type: ""',
      '  editor:\n    type: vscode',
      '',
    ].join('\n');
    const environment = { OA_KEY: 'sk-secret-1', AN_KEY: 'sk-ant-secret-2', GE_KEY: 'AIza-secret-3' };
    const analysis = analyzeConfig(text, environment);
    const hover = (name: string) => hoverAt(analysis, text.indexOf(`  ${name}:`) + 3, environment)?.markdown ?? '';
    assert.match(hover('oa'), /- auth: sent as `Authorization: Bearer <key>`; key: `\$OA_KEY` \(set\)/);
    assert.match(hover('an'), /- auth: sent as `x-api-key: <key>`/);
    assert.match(hover('an_bearer'), /- auth: sent as `Authorization: Bearer <key>`/);
    assert.match(hover('editor'), /VS Code's own language models .* only inside VS Code/);
    assert.doesNotMatch(hover('editor'), /- auth:/, 'no key is sent for the editor’s models');
    assert.match(hover('ge'), /- auth: sent as `x-goog-api-key: <key>`/);
    assert.match(hover('ol'), /- auth: none \(no `api_key`\)/);
    assert.match(hover('off'), /- auth: none \(`auth_type: none`\)/);
    assert.match(hover('empty'), /- auth: sent as `x-api-key: <key>`/, 'an empty auth_type is the default');
    for (const name of ['oa', 'an', 'an_bearer', 'ge', 'off', 'empty']) assert.doesNotMatch(hover(name), /secret/);
  });
});
