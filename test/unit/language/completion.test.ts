import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { completionContextAt } from '../../../server/src/language/completion-context';
import { completionsAt } from '../../../server/src/language/completion';
import { withCursor } from '../../helpers/cursor';

const CONFIG = `providers:
  local:
    type: ollama
  cloud:
    type: anthropic
models:
  fast:
    provider: local
    model: llama3.2
  smart:
    provider: cloud
    model: claude
roles:
  mayor:
    model: fast
`;

function labelsAt(marked: string, raw: unknown = parse(CONFIG)): string[] {
  const { text, offset } = withCursor(marked);
  return completionsAt(text, offset, raw).map((entry) => entry.label);
}

describe('completion context (from indentation, so half-typed YAML works)', () => {
  it('finds the enclosing keys of a key being typed', () => {
    const { text, offset } = withCursor('roles:\n  mayor:\n    # comment\n\n    fal|');
    assert.deepEqual(completionContextAt(text, offset), { kind: 'key', parentPath: ['roles', 'mayor'], prefix: 'fal', replaceStart: offset - 3, indent: 4 });
  });
  it('finds the key of a value, in block lists at either indentation and in flow lists', () => {
    const value = (marked: string) => {
      const { text, offset } = withCursor(marked);
      const context = completionContextAt(text, offset);
      return context?.kind === 'value' ? [context.path.join('.'), context.prefix, context.inList] : context;
    };
    assert.deepEqual(value('roles:\n  mayor:\n    model: fa|'), ['roles.mayor.model', 'fa', false]);
    assert.deepEqual(value('roles:\n  mayor:\n    fallbacks: [fast, sm|'), ['roles.mayor.fallbacks', 'sm', true]);
    assert.deepEqual(value('roles:\n  mayor:\n    fallbacks:\n      - |'), ['roles.mayor.fallbacks', '', true]);
    assert.deepEqual(value('roles:\n  mayor:\n    fallbacks:\n    - f|'), ['roles.mayor.fallbacks', 'f', true]);
  });
  it('offers nothing inside comments', () => {
    const { text, offset } = withCursor('roles:\n  mayor:\n    model: fast # fa|');
    assert.equal(completionContextAt(text, offset), undefined);
  });
});

describe('completion', () => {
  it('offers top-level sections that are not there yet', () => {
    assert.deepEqual(labelsAt(`${CONFIG}|`), ['defaults', 'specialists']);
  });
  it('offers the keys of a provider, model, role and pricing, from the schema', () => {
    assert.deepEqual(labelsAt('providers:\n  local:\n    type: ollama\n    |'), ['base_url', 'api_key', 'auth_type', 'org', 'headers', 'timeouts', 'retry']);
    assert.deepEqual(labelsAt('defaults:\n  retry:\n    |'), ['attempts', 'max_wait_seconds', 'retry_timeouts']);
    assert.deepEqual(labelsAt('models:\n  fast:\n    pricing:\n      |'), ['input', 'output', 'cached_input', 'cache_read', 'cache_write']);
    assert.ok(labelsAt('roles:\n  mayor:\n    |').includes('fallbacks'));
  });
  it('offers the built-in roles not yet configured, and provider snippets', () => {
    assert.deepEqual(labelsAt('roles:\n  mayor:\n    model: fast\n  |'), ['polecat', 'witness', 'refinery']);
    assert.deepEqual(labelsAt('providers:\n  ollama:\n    type: ollama\n  |', { providers: { ollama: {} } }), ['openai', 'anthropic', 'gemini', 'openai-compatible', 'vscode']);
  });
  it('offers provider types, auth types, provider names and model aliases as values', () => {
    assert.deepEqual(labelsAt('providers:\n  x:\n    type: |'), ['openai', 'anthropic', 'gemini', 'ollama', 'openai-compatible', 'vscode']);
    assert.deepEqual(labelsAt('providers:\n  x:\n    auth_type: b|'), ['bearer', 'basic', 'none']);
    assert.deepEqual(labelsAt('models:\n  new:\n    provider: |'), ['local', 'cloud']);
    assert.deepEqual(labelsAt('roles:\n  polecat:\n    model: |'), ['fast', 'smart']);
    assert.deepEqual(labelsAt('roles:\n  polecat:\n    pool: [fast, |'), ['fast', 'smart']);
    assert.deepEqual(labelsAt('defaults:\n  fallbacks:\n    - |'), ['fast', 'smart']);
    assert.deepEqual(labelsAt('specialists:\n  go:\n    model: s|'), ['fast', 'smart']);
  });
  it('describes an alias by its provider and model id, and replaces the typed prefix', () => {
    const { text, offset } = withCursor('roles:\n  polecat:\n    model: sm|');
    const smart = completionsAt(text, offset, parse(CONFIG)).find((entry) => entry.label === 'smart');
    assert.equal(smart?.detail, 'cloud/claude');
    assert.deepEqual([smart?.replaceStart, smart?.replaceEnd], [offset - 2, offset]);
  });
  it('offers no aliases where a free value is expected', () => {
    assert.deepEqual(labelsAt('models:\n  new:\n    model: |'), []);
  });
});
