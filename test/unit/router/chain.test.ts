import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { ElectrictownConfig } from '../../../server/src/config/schema';
import { chainForModel, chainForPoolSlot, chainForRole, ChainError, maxTokensFor } from '../../../server/src/router/chain';
import { EndpointHealth } from '../../../server/src/router/endpoint-health';
import { ModelRouter } from '../../../server/src/router/model-router';

function config(text: string): ElectrictownConfig {
  const analysis = analyzeConfig(text, {});
  assert.ok(analysis.config, JSON.stringify(analysis.issues));
  return analysis.config;
}

const BASE = `providers:
  local:
    type: ollama
  claude:
    type: anthropic
models:
  fast:
    provider: local
    model: llama3.2
    context_window: 8192
    max_tokens: 2048
  smart:
    provider: claude
    model: claude-sonnet-4-5
`;

describe('model chains', () => {
  it('resolves a role to its primary then fallbacks, aliases and provider/model alike', () => {
    const chain = chainForRole(config(`${BASE}roles:\n  mayor:\n    model: smart\n    fallbacks: [fast, local/qwen]\n    temperature: 0.5\n`), 'mayor');
    assert.deepEqual(chain.entries.map((entry) => [entry.reference, entry.provider, entry.modelId, entry.contextWindow]), [
      ['smart', 'claude', 'claude-sonnet-4-5', undefined],
      ['fast', 'local', 'llama3.2', 8192],
      ['local/qwen', 'local', 'qwen', undefined],
    ]);
    assert.equal(chain.temperature, 0.5);
    assert.equal(chain.label, 'role mayor');
  });

  it('uses defaults for a role that is not configured, or has no model of its own', () => {
    const withDefaults = config(`${BASE}roles:\n  witness:\n    temperature: 0.1\ndefaults:\n  model: fast\n  fallbacks: [smart]\n  max_tokens: 4096\n  temperature: 0.3\n`);
    const polecat = chainForRole(withDefaults, 'polecat');
    assert.deepEqual(polecat.entries.map((entry) => entry.reference), ['fast', 'smart']);
    assert.deepEqual([polecat.maxTokens, polecat.temperature], [4096, 0.3]);
    const witness = chainForRole(withDefaults, 'witness');
    assert.deepEqual([witness.entries.map((entry) => entry.reference), witness.temperature], [['fast', 'smart'], 0.1]);
  });

  it('reads electrictown’s role names for ours', () => {
    const chain = chainForRole(config(`${BASE}roles:\n  reviewer:\n    model: smart\n`), 'witness');
    assert.deepEqual(chain.entries.map((entry) => entry.reference), ['smart']);
  });

  it('drops a fallback that repeats the primary, and resolves the pool', () => {
    const chain = chainForRole(config(`${BASE}roles:\n  polecat:\n    model: fast\n    fallbacks: [smart, fast]\n    pool: [fast, smart]\n`), 'polecat');
    assert.deepEqual(chain.entries.map((entry) => entry.reference), ['fast', 'smart']);
    assert.deepEqual(chain.pool.map((entry) => entry.modelId), ['llama3.2', 'claude-sonnet-4-5']);
  });

  it('names the role when it has no model anywhere', () => {
    assert.throws(() => chainForRole(config(BASE), 'mayor'), (error: unknown) => error instanceof ChainError && /role mayor has no model: set roles\.mayor\.model or defaults\.model/.test(error.message));
  });

  it('caps max_tokens at the model’s own, and uses the model’s when nothing asks', () => {
    const asks = chainForRole(config(`${BASE}roles:\n  mayor:\n    model: fast\n    fallbacks: [smart]\n    max_tokens: 4000\n`), 'mayor');
    assert.deepEqual(asks.entries.map((entry) => maxTokensFor(asks, entry)), [2048, 4000]);
    const silent = chainForModel(config(BASE), 'fast');
    assert.equal(maxTokensFor(silent, silent.entries[0]), 2048);
    assert.equal(chainForModel(config(BASE), 'local/qwen').label, 'local/qwen');
  });

  it('puts pool members first in turn, then the role’s own chain, then the other members', () => {
    const settings = config(`${BASE}roles:\n  polecat:\n    model: smart\n    fallbacks: [fast]\n    pool: [local/a, local/b, fast]\n  mayor:\n    model: smart\n`);
    const chain = chainForRole(settings, 'polecat');
    const order = (slot: number) => chainForPoolSlot(chain, slot).entries.map((entry) => entry.reference);
    assert.deepEqual(order(0), ['local/a', 'smart', 'fast', 'local/b']);
    assert.deepEqual(order(1), ['local/b', 'smart', 'fast', 'local/a']);
    assert.deepEqual(order(2), ['fast', 'smart', 'local/a', 'local/b']);
    assert.deepEqual(order(3), order(0));
    // The router takes turns across requests; a role without a pool is not rotated.
    const router = new ModelRouter({ config: settings, environment: {}, ledger: undefined, health: new EndpointHealth() });
    assert.deepEqual([0, 1, 2, 3].map(() => router.chainFor({ role: 'polecat' }).entries[0].reference), ['local/a', 'local/b', 'fast', 'local/a']);
    assert.deepEqual([0, 1].map(() => router.chainFor({ role: 'mayor' }).entries.map((entry) => entry.reference)), [['smart'], ['smart']]);
  });
});
