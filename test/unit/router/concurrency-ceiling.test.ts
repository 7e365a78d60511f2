// How many requests a model may have in flight, from the config (pure).
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { concurrencyCeilings } from '../../../server/src/router/concurrency-ceiling';

describe('concurrency ceilings', () => {
  it('takes max_concurrency (the smallest among a model’s aliases), one for a pool member, else no limit', () => {
    const config = analyzeConfig(
      `providers:
  gpu1: { type: ollama, base_url: "http://gpu1:11434" }
  gpu2: { type: ollama, base_url: "http://gpu2:11434" }
models:
  coder: { provider: gpu1, model: qwen2.5-coder, max_concurrency: 4 }
  coder-too: { provider: gpu1, model: qwen2.5-coder, max_concurrency: 2 }
  pooled: { provider: gpu2, model: qwen2.5-coder }
  pooled-wide: { provider: gpu2, model: llama3.2, max_concurrency: 3 }
roles:
  polecat: { pool: [pooled, pooled-wide, gpu1/llama3.2] }
specialists:
  docs: { pool: [gpu2/phi4] }
`,
      {},
    ).config;
    assert.ok(config);
    const ceiling = concurrencyCeilings(config);
    assert.equal(ceiling('gpu1', 'qwen2.5-coder'), 2);
    assert.equal(ceiling('gpu2', 'qwen2.5-coder'), 1, 'a pool member, one at a time');
    assert.equal(ceiling('gpu2', 'llama3.2'), 3, 'its own max_concurrency over the pool’s default');
    assert.equal(ceiling('gpu1', 'llama3.2'), 1, 'a provider/model reference in a pool');
    assert.equal(ceiling('gpu2', 'phi4'), 1, 'a specialist’s pool too');
    assert.equal(ceiling('gpu1', 'mistral'), Number.POSITIVE_INFINITY);
  });
});
