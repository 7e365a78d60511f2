import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendEntry, readLedger, summarize, type LedgerEntry } from '../../../server/src/cost/ledger';
import { LedgerWriter } from '../../../server/src/cost/ledger-writer';
import { listPrice, modelFamily } from '../../../server/src/cost/price-table';
import { cacheSavingUsd, costUsd, resolvePricing, withCachePrices } from '../../../server/src/cost/pricing';
import { parseSince } from '../../../server/src/cost/since';

const usage = (inputTokens?: number, cachedInputTokens?: number, outputTokens?: number) => ({ inputTokens, cachedInputTokens, outputTokens, reasoningTokens: undefined });

describe('pricing', () => {
  it('bills uncached input, cached input at its own rate, and output', () => {
    // 1,000,000 input of which 200,000 cached; 100,000 output; $3 / $0.30 / $15 per 1M.
    const near = (actual: number | null, expected: number) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
    near(costUsd(usage(1_000_000, 200_000, 100_000), { input: 3, output: 15, cached_input: 0.3 }), 2.4 + 0.06 + 1.5);
    // Without a cached rate, cached input costs what input costs.
    near(costUsd(usage(1_000_000, 200_000, 0), { input: 3, output: 15 }), 3);
  });

  it('bills cache writes at their own rate, and counts what the cache saved against sending the input uncached', () => {
    const near = (actual: number | null, expected: number) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
    // Anthropic: 1,000,000 input = 100,000 uncached + 600,000 read + 300,000 written; $3 in, $0.30 read, $3.75 written.
    const anthropic = { ...usage(1_000_000, 600_000, 0), cacheWriteTokens: 300_000 };
    const sonnet = { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 };
    near(costUsd(anthropic, sonnet), 0.3 + 0.18 + 1.125);
    near(cacheSavingUsd(anthropic, sonnet), 600_000 * 2.7e-6 - 300_000 * 0.75e-6);
    near(costUsd(anthropic, sonnet)! + cacheSavingUsd(anthropic, sonnet)!, costUsd(usage(1_000_000, 0, 0), sonnet)!);
    // A write that was never read back costs more than no caching did.
    assert.ok(cacheSavingUsd({ ...usage(1000, 0, 0), cacheWriteTokens: 1000 }, sonnet)! < 0);
    assert.equal(cacheSavingUsd(anthropic, undefined), null);
    assert.equal(cacheSavingUsd(usage(1000, 0, 10), sonnet), 0);
  });

  it('fills in cache prices a price does not give: the list’s ratio for the model, else the provider’s usual share', () => {
    const listed = (modelId: string) => listPrice(modelId);
    // A configured price keeps its own cache figures; `cached_input` is the older name of `cache_read`.
    assert.deepEqual(withCachePrices({ input: 3, output: 15, cache_read: 0.25, cache_write: 4 }, 'anthropic', undefined), { input: 3, output: 15, cache_read: 0.25, cache_write: 4 });
    assert.deepEqual(withCachePrices({ input: 3, output: 15, cached_input: 0.2 }, 'anthropic', undefined), { input: 3, output: 15, cache_read: 0.2, cache_write: 3.75 });
    // Unknown models: Anthropic reads at 0.1× and writes at 1.25×; OpenAI reads at 0.5×, Gemini at 0.25×, writes at the input price.
    assert.deepEqual(withCachePrices({ input: 4, output: 20 }, 'anthropic', undefined), { input: 4, output: 20, cache_read: 0.4, cache_write: 5 });
    assert.deepEqual(withCachePrices({ input: 4, output: 20 }, 'openai', undefined), { input: 4, output: 20, cache_read: 2, cache_write: 4 });
    assert.deepEqual(withCachePrices({ input: 4, output: 20 }, 'gemini', undefined), { input: 4, output: 20, cache_read: 1, cache_write: 4 });
    // A model the list knows keeps the list's ratio (gpt-5 reads at 0.1× of input), at the configured input price.
    assert.deepEqual(withCachePrices({ input: 2, output: 16 }, 'openai', listed('gpt-5')), { input: 2, output: 16, cache_read: 0.2, cache_write: 2 });
    assert.deepEqual(resolvePricing({ configured: undefined, providerType: 'anthropic', baseUrl: undefined, modelId: 'claude-sonnet-4-5-20250929' }, listPrice)?.pricing, { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 });
  });

  it('is unpriced (null), never $0, without a price or with an unreported priced count', () => {
    assert.equal(costUsd(usage(10, 0, 10), undefined), null);
    assert.equal(costUsd(usage(undefined, undefined, 10), { input: 3, output: 15 }), null);
    // A free local model costs nothing even when Ollama leaves out the prompt count.
    assert.equal(costUsd(usage(undefined, undefined, 10), { input: 0, output: 0 }), 0);
  });
});

describe('--since', () => {
  const now = new Date(2026, 10, 21, 15, 30);
  it('reads dates as local midnight, timestamps, today and ages', () => {
    assert.deepEqual(parseSince('2026-11-01', now), { ok: true, since: new Date(2026, 10, 1) });
    assert.deepEqual(parseSince('2026-11-01T09:00:00Z', now), { ok: true, since: new Date(Date.UTC(2026, 10, 1, 9)) });
    assert.deepEqual(parseSince('today', now), { ok: true, since: new Date(2026, 10, 21) });
    assert.deepEqual(parseSince('7d', now), { ok: true, since: new Date(now.getTime() - 7 * 86_400_000) });
    assert.deepEqual(parseSince('12h', now), { ok: true, since: new Date(now.getTime() - 12 * 3_600_000) });
  });

  it('refuses what is not a date, naming the value and the accepted forms', () => {
    for (const bad of ['yesterday', '2026-02-31', '2026-13-01', '7 weeks', '']) {
      const result = parseSince(bad, now);
      assert.equal(result.ok, false, bad);
      assert.match(result.ok ? '' : result.message, /^--since ".*" is not a date \(2026-11-01\), a timestamp/);
    }
  });
});

describe('built-in prices', () => {
  it('matches dated snapshots to their family, and never one model to a longer-named sibling', () => {
    assert.equal(modelFamily('gpt-4o-2024-08-06'), 'gpt-4o');
    assert.equal(modelFamily('claude-sonnet-4-5-20250929'), 'claude-sonnet-4-5');
    assert.equal(modelFamily('claude-3-5-haiku-latest'), 'claude-3-5-haiku');
    assert.equal(modelFamily('models/gemini-2.5-flash-preview-05-20'), 'gemini-2.5-flash');
    assert.equal(modelFamily('gemini-2.0-flash-001'), 'gemini-2.0-flash');
    assert.deepEqual(listPrice('gpt-4o-2024-08-06'), listPrice('gpt-4o'));
    assert.notDeepEqual(listPrice('gpt-4o-mini-2024-07-18'), listPrice('gpt-4o'));
    assert.equal(listPrice('gpt-4o-mini-2024-07-18')?.input, 0.15);
    assert.equal(listPrice('llama3.2'), undefined);
    assert.equal(listPrice('my-finetune-gpt-4o'), undefined);
  });

  it('prefers the config’s price, treats a local Ollama as free, and leaves the rest unpriced', () => {
    const model = { configured: undefined, providerType: 'openai', baseUrl: undefined, modelId: 'gpt-4.1-mini-2025-04-14' };
    // The config's price, with the list's ratio of cache reads to input for the model (0.1 / 0.4); writes are free on OpenAI.
    assert.deepEqual(resolvePricing({ ...model, configured: { input: 1, output: 2 } }, listPrice), { pricing: { input: 1, output: 2, cache_read: 0.25, cache_write: 1 }, source: 'config' });
    assert.deepEqual(resolvePricing(model, listPrice), { pricing: { input: 0.4, cache_read: 0.1, cache_write: 0.4, output: 1.6 }, source: 'list' });
    assert.equal(resolvePricing({ ...model, providerType: 'ollama', baseUrl: 'http://127.0.0.1:11434', modelId: 'qwen3' }, listPrice)?.source, 'local');
    assert.equal(resolvePricing({ ...model, providerType: 'ollama', baseUrl: undefined, modelId: 'qwen3' }, listPrice)?.source, 'local');
    assert.equal(resolvePricing({ ...model, providerType: 'ollama', baseUrl: 'https://ollama.com', modelId: 'gpt-oss:120b' }, listPrice), undefined);
    assert.equal(resolvePricing({ ...model, modelId: 'some-new-model' }, listPrice), undefined);
  });
});

function entry(overrides: Partial<LedgerEntry>): LedgerEntry {
  return { time: '2026-11-21T10:00:00.000Z', runId: 'run-1', role: 'mayor', provider: 'claude', providerType: 'anthropic', alias: 'sonnet', modelId: 'claude-sonnet-4-5', tokens: { input: 100, cachedInput: 0, output: 10, reasoning: null }, estimated: false, usd: 0.5, outcome: 'ok', ...overrides };
}

describe('cost ledger', () => {
  it('appends one line per attempt and survives a line cut by a crash', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'et-ledger-')), 'ledger.jsonl');
    await appendEntry(file, entry({ outcome: 'retry', usd: 0.1 }));
    // A crash in the middle of a write leaves half a line and no newline.
    appendFileSync(file, '{"time":"2026-11-21T10:00:01.000Z","provider":"cla');
    await appendEntry(file, entry({ outcome: 'ok' }));
    const ledger = await readLedger(file);
    assert.deepEqual(ledger.entries.map((item) => item.outcome), ['retry', 'ok']);
    assert.equal(ledger.skippedLines, 1);
    assert.equal(readFileSync(file, 'utf8').split('\n').length, 4, 'the new entry started on a fresh line');
    assert.deepEqual(await readLedger(path.join(path.dirname(file), 'missing.jsonl')), { entries: [], skippedLines: 0 });
  });

  it('summarizes by role, provider, model or run over a time range, keeping unpriced attempts apart', () => {
    const entries = [
      entry({ usd: 0.5 }),
      entry({ role: 'polecat', provider: 'local', alias: 'llama', usd: null, time: '2026-11-21T11:00:00.000Z' }),
      entry({ role: 'polecat', usd: 0.25, time: '2026-11-21T12:00:00.000Z', runId: 'run-2' }),
    ];
    assert.deepEqual(summarize(entries, 'role').rows.map((row) => [row.key, row.attempts, row.usd, row.unpricedAttempts]), [['mayor', 1, 0.5, 0], ['polecat', 2, 0.25, 1]]);
    assert.deepEqual(summarize(entries, 'model').rows.map((row) => row.key), ['sonnet', 'llama']);
    const recent = summarize(entries, 'run', new Date('2026-11-21T11:30:00.000Z'));
    assert.deepEqual(recent.rows.map((row) => [row.key, row.usd]), [['run-2', 0.25]]);
    assert.deepEqual([recent.total.attempts, recent.total.usd], [1, 0.25]);
    assert.deepEqual([summarize(entries, 'provider').total.attempts, summarize(entries, 'provider').total.unpricedAttempts], [3, 1]);
  });

  it('sums cache reads, writes and savings, reading older lines that have none', () => {
    const entries = [
      entry({ tokens: { input: 1000, cachedInput: 0, output: 10, reasoning: null } }),
      entry({ tokens: { input: 3000, cachedInput: 0, cacheWrite: 2000, output: 10, reasoning: null }, cacheSavedUsd: -0.0015 }),
      entry({ tokens: { input: 3000, cachedInput: 2000, cacheWrite: 0, output: 10, reasoning: null }, cacheSavedUsd: 0.0054 }),
    ];
    const { total } = summarize(entries, 'role');
    assert.deepEqual([total.inputTokens, total.cachedInputTokens, total.cacheWriteTokens, total.cachedShare], [7000, 2000, 2000, 2000 / 7000]);
    assert.ok(Math.abs(total.cacheSavedUsd - 0.0039) < 1e-12);
    assert.deepEqual(summarize([], 'role').total.cachedShare, 0);
  });

  it('writes queued entries in order, in batches, after a line a crash cut short', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'et-ledger-'));
    const file = path.join(directory, 'nested', 'ledger.jsonl');
    const errors: unknown[] = [];
    const writer = new LedgerWriter(file, (error) => errors.push(error));
    for (let index = 0; index < 5; index++) writer.record(entry({ runId: `run-${index}` }));
    await writer.flush();
    appendFileSync(file, '{"time":"2026-11-21T10:00:01.000Z","provider":"cla');
    await writer.close();
    // A new writer (a new process) starts its first line after the cut one.
    const next = new LedgerWriter(file, (error) => errors.push(error));
    next.record(entry({ runId: 'run-5' }));
    await next.close();
    const ledger = await readLedger(file);
    assert.deepEqual(ledger.entries.map((item) => item.runId), ['run-0', 'run-1', 'run-2', 'run-3', 'run-4', 'run-5']);
    assert.equal(ledger.skippedLines, 1);
    assert.deepEqual(errors, []);
  });

  it('reports a ledger it cannot write instead of failing the request', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'et-ledger-'));
    const errors: unknown[] = [];
    // The ledger's path is a directory: every write fails.
    const writer = new LedgerWriter(directory, (error) => errors.push(error));
    writer.record(entry({}));
    await writer.close();
    assert.equal(errors.length, 1);
    assert.match(String((errors[0] as Error).message), /EISDIR/);
  });
});
