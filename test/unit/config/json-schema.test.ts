import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildJsonSchema, jsonSchemaText } from '../../../server/src/config/json-schema';

describe('JSON schema', () => {
  it('is up to date with the zod schema (run `npm run schema` if not)', () => {
    const committed = readFileSync(path.join(__dirname, '..', '..', '..', 'schemas', 'electrictown.schema.json'), 'utf8');
    assert.equal(committed, jsonSchemaText());
  });

  it('describes providers, enums and the closed key sets', () => {
    const schema = buildJsonSchema() as { properties: Record<string, { additionalProperties?: { properties?: Record<string, { enum?: string[] }>; additionalProperties?: boolean } }>; required: string[] };
    assert.deepEqual(schema.required, ['providers']);
    const provider = schema.properties.providers.additionalProperties;
    assert.deepEqual(provider?.properties?.type.enum, ['openai', 'anthropic', 'gemini', 'ollama', 'openai-compatible', 'vscode']);
    assert.equal(provider?.additionalProperties, false);
  });

  it('is contributed for electrictown.yaml', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.yamlValidation, [{ fileMatch: ['electrictown.yaml', 'electrictown.yml'], url: './schemas/electrictown.schema.json' }]);
  });
});
