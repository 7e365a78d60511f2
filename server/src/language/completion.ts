// Completion for electrictown.yaml: keys from the schema, role names, provider snippets, enum values,
// provider names and model aliases from the document itself. Pure; ranges are offsets.
import { completionContextAt } from './completion-context';
import { asMap, modelAliases, providerNames, sectionEntries, valueAtPath } from '../config/references';
import { BUILT_IN_ROLES, PROVIDER_TYPES } from '../config/schema';
import { fieldAt, fieldsAt } from '../config/schema-walk';

export type CompletionKind = 'key' | 'value' | 'alias' | 'provider' | 'role' | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Snippet syntax when `isSnippet`; the label otherwise. */
  insertText: string;
  isSnippet: boolean;
  replaceStart: number;
  replaceEnd: number;
}

const PROVIDER_SNIPPETS: Record<(typeof PROVIDER_TYPES)[number], string> = {
  openai: 'openai:\n  type: openai\n  base_url: https://api.openai.com/v1\n  api_key: \\$${1:OPENAI_API_KEY}\n$0',
  anthropic: 'anthropic:\n  type: anthropic\n  base_url: https://api.anthropic.com\n  api_key: \\$${1:ANTHROPIC_API_KEY}\n$0',
  gemini: 'gemini:\n  type: gemini\n  base_url: https://generativelanguage.googleapis.com/v1beta\n  api_key: \\$${1:GEMINI_API_KEY}\n$0',
  ollama: 'ollama:\n  type: ollama\n  base_url: ${1:http://localhost:11434}\n$0',
  'openai-compatible': 'openai-compatible:\n  type: openai-compatible\n  base_url: ${1:http://localhost:8000/v1}\n$0',
  vscode: 'vscode:\n  type: vscode\n$0',
};

const REFERENCE_FIELDS = new Set(['model', 'fallbacks', 'pool']);

function isModelReferenceField(path: readonly string[]): boolean {
  const field = path[path.length - 1];
  if (!REFERENCE_FIELDS.has(field)) return false;
  return (path.length === 3 && (path[0] === 'roles' || path[0] === 'specialists')) || (path.length === 2 && path[0] === 'defaults');
}

function keyEntries(raw: unknown, parentPath: string[], replaceStart: number, replaceEnd: number): CompletionEntry[] {
  const present = new Set(Object.keys(asMap(valueAtPath(raw, parentPath)) ?? {}));
  const range = { replaceStart, replaceEnd };
  if (parentPath.length === 1 && parentPath[0] === 'roles') {
    return BUILT_IN_ROLES.filter((role) => !present.has(role)).map((role) => ({
      label: role,
      kind: 'role',
      detail: 'built-in role',
      insertText: `${role}:\n  model: $0`,
      isSnippet: true,
      ...range,
    }));
  }
  if (parentPath.length === 1 && parentPath[0] === 'providers') {
    return PROVIDER_TYPES.filter((type) => !present.has(type)).map((type) => ({
      label: type,
      kind: 'snippet',
      detail: `${type} provider`,
      insertText: PROVIDER_SNIPPETS[type],
      isSnippet: true,
      ...range,
    }));
  }
  return fieldsAt(parentPath)
    .filter((field) => !present.has(field.name))
    .map((field) => ({
      label: field.name,
      kind: 'key',
      detail: field.required ? 'required' : undefined,
      documentation: field.description,
      insertText: field.isNamedMap || (field.values === undefined && fieldsAt([...parentPath, field.name]).length > 0) ? `${field.name}:\n  $0` : `${field.name}: $0`,
      isSnippet: true,
      ...range,
    }));
}

function valueEntries(raw: unknown, path: string[], replaceStart: number, replaceEnd: number): CompletionEntry[] {
  const range = { replaceStart, replaceEnd, isSnippet: false };
  const field = fieldAt(path);
  if (field?.values) return field.values.map((value) => ({ label: value, kind: 'value', insertText: value, ...range }));
  if (path.length === 3 && path[0] === 'models' && path[2] === 'provider') {
    return providerNames(raw).map((name) => ({
      label: name,
      kind: 'provider',
      detail: String(asMap(valueAtPath(raw, ['providers', name]))?.type ?? 'provider'),
      insertText: name,
      ...range,
    }));
  }
  if (isModelReferenceField(path)) {
    const models = new Map(sectionEntries(raw, 'models'));
    return modelAliases(raw).map((alias) => ({
      label: alias,
      kind: 'alias',
      detail: `${String(models.get(alias)?.provider ?? '?')}/${String(models.get(alias)?.model ?? '?')}`,
      insertText: alias,
      ...range,
    }));
  }
  return [];
}

/** Completion entries at an offset; `raw` is the document's last evaluated value. */
export function completionsAt(text: string, offset: number, raw: unknown): CompletionEntry[] {
  const context = completionContextAt(text, offset);
  if (!context) return [];
  if (context.kind === 'key') return keyEntries(raw, context.parentPath, context.replaceStart, offset);
  return valueEntries(raw, context.path, context.replaceStart, offset);
}
