// The JSON schema of electrictown.yaml, generated from the zod schema (schemas/electrictown.schema.json).
// Contributed with `yamlValidation` so YAML tooling offers completion too; the server stays the
// authority for diagnostics, including the cross-field checks a JSON schema cannot express.
import * as z from 'zod';
import { configSchema } from './schema';

/** Our descriptions are Markdown; VS Code renders `markdownDescription` as such. */
function withMarkdownDescriptions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withMarkdownDescriptions);
  if (node === null || typeof node !== 'object') return node;
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, withMarkdownDescriptions(value)]));
  if (typeof copy.description === 'string') copy.markdownDescription = copy.description;
  return copy;
}

export function buildJsonSchema(): Record<string, unknown> {
  // draft-07 is what VS Code's JSON support and the YAML extension read most completely. The schema
  // describes what is written (`input`): an empty `auth_type` or section is accepted as written.
  const generated = withMarkdownDescriptions(z.toJSONSchema(configSchema, { target: 'draft-7', io: 'input' })) as Record<string, unknown>;
  return { ...generated, $id: 'https://electrictown.dev/schemas/electrictown.schema.json', title: 'electrictown.yaml' };
}

export function jsonSchemaText(): string {
  return `${JSON.stringify(buildJsonSchema(), null, 2)}\n`;
}
