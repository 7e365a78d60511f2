import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { definitionAt, hoverAt } from '../../../server/src/language/navigation';
import { withCursor } from '../../helpers/cursor';

const CONFIG = `providers:
  local:
    type: ollama
    base_url: http://localhost:11434
  cloud:
    type: anthropic
    api_key: $ET_TEST_CLOUD_KEY
models:
  fast:
    provider: local
    model: llama3.2
    context_window: 131072
  smart:
    provider: cloud
    model: claude-sonnet-4-5
    pricing: { input: 3, output: 15, cached_input: 0.3 }
roles:
  mayor:
    model: smart
    fallbacks: [fast, local/qwen]
  polecat:
    pool: [fast]
defaults:
  model: fast
`;

function at(needle: string, nth = 0): number {
  let offset = -1;
  for (let index = 0; index <= nth; index++) offset = CONFIG.indexOf(needle, offset + 1);
  if (offset === -1) throw new Error(`${needle} not found`);
  return offset + 1;
}

const analysis = analyzeConfig(CONFIG, {});

describe('hover', () => {
  it('shows an alias with provider, model id, context window and price', () => {
    const hover = hoverAt(analysis, at('smart', 1), {});
    assert.match(hover?.markdown ?? '', /\*\*smart\*\* — model alias/);
    assert.match(hover?.markdown ?? '', /`cloud` \(anthropic\)/);
    assert.match(hover?.markdown ?? '', /claude-sonnet-4-5/);
    assert.match(hover?.markdown ?? '', /\$3 in · \$15 out · \$0\.3 cached/);
    assert.equal(CONFIG.slice(hover?.start, hover?.end), 'smart');
    const fast = hoverAt(analysis, at('fast:'), {})?.markdown ?? '';
    assert.match(fast, /131,072 tokens/);
    assert.match(fast, /not priced/);
  });
  it('shows a role with its resolved chain', () => {
    const mayor = hoverAt(analysis, at('mayor'), {})?.markdown ?? '';
    assert.match(mayor, /built-in role/);
    assert.match(mayor, /1\. `smart` → cloud\/claude-sonnet-4-5\n2\. `fast` → local\/llama3\.2\n3\. `local\/qwen` → local\/qwen/);
    const polecat = hoverAt(analysis, at('polecat'), {})?.markdown ?? '';
    assert.match(polecat, /Chain \(model from defaults\)/);
    assert.match(polecat, /Pool \(round-robin\): `fast`/);
  });
  it('shows a provider with where its key comes from, never the key', () => {
    const unset = hoverAt(analysis, at('cloud'), {})?.markdown ?? '';
    assert.match(unset, /`\$ET_TEST_CLOUD_KEY` \(not set\)/);
    const set = hoverAt(analysis, at('cloud'), { ET_TEST_CLOUD_KEY: 'sk-secret-value' })?.markdown ?? '';
    assert.match(set, /\(set\)/);
    assert.ok(!set.includes('sk-secret-value'));
  });
  it('explains a schema key', () => {
    assert.match(hoverAt(analysis, at('context_window'), {})?.markdown ?? '', /num_ctx/);
  });
  it('has nothing to say about free text', () => {
    assert.equal(hoverAt(analysis, at('llama3.2'), {}), undefined);
  });
});

describe('go to definition', () => {
  it('goes from an alias reference to the alias', () => {
    const target = definitionAt(analysis, at('fast', 2));
    assert.equal(target?.start, CONFIG.indexOf('fast:'));
    assert.equal(CONFIG.slice(target?.start, target?.end), 'fast');
  });
  it('goes from a provider reference, or a provider/model reference, to the provider', () => {
    assert.equal(definitionAt(analysis, at('cloud', 1))?.start, CONFIG.indexOf('cloud:'));
    assert.equal(definitionAt(analysis, at('local/qwen'))?.start, CONFIG.indexOf('local:'));
  });
  it('finds nothing for an unknown alias', () => {
    const broken = analyzeConfig(CONFIG.replace('model: smart', 'model: smrt'), {});
    const { offset } = withCursor(CONFIG.replace('model: smart', 'model: sm|rt'));
    assert.equal(definitionAt(broken, offset), undefined);
  });
});

describe('hover over retry and concurrency keys', () => {
  it('explains them from the schema, with their defaults', () => {
    const text = 'providers:\n  p:\n    type: ollama\n    retry: { attempts: 2, max_wait_seconds: 10, retry_timeouts: true }\nmodels:\n  m: { provider: p, model: x, max_concurrency: 2 }\n';
    const analysis = analyzeConfig(text, {});
    const hover = (key: string) => hoverAt(analysis, text.indexOf(key) + 1, {})?.markdown ?? '';
    assert.match(hover('attempts'), /default 3/);
    assert.match(hover('max_wait_seconds'), /in seconds \(default 30\)/);
    assert.match(hover('retry_timeouts'), /default false/);
    assert.match(hover('max_concurrency'), /1 for a model in a `pool`/);
  });
});

describe('navigation edge cases', () => {
  it('finds the top-level key at its first column, and reads quoted values as values', () => {
    const text = 'providers:\n  p:\n    type: ollama\nmodels:\n  "fast one":\n    provider: "p"\n    model: x\nroles:\n  mayor:\n    model: "fast one"\n';
    const analysis = analyzeConfig(text, {});
    assert.match(hoverAt(analysis, text.indexOf('models'), {})?.markdown ?? '', /\*\*models\*\*/);
    assert.equal(definitionAt(analysis, text.lastIndexOf('"fast one"') + 2)?.start, text.indexOf('"fast one"'));
    assert.equal(definitionAt(analysis, text.indexOf('"p"') + 1)?.start, text.indexOf('p:'));
  });
});
