import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appendEntry, readLedger, summarize, type LedgerEntry } from '../../../server/src/cost/ledger';
import { costUsd } from '../../../server/src/cost/pricing';

const usage = (inputTokens?: number, cachedInputTokens?: number, outputTokens?: number) => ({ inputTokens, cachedInputTokens, outputTokens, reasoningTokens: undefined });

describe('pricing', () => {
  it('bills uncached input, cached input at its own rate, and output', () => {
    // 1,000,000 input of which 200,000 cached; 100,000 output; $3 / $0.30 / $15 per 1M.
    const near = (actual: number | null, expected: number) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${actual} ≠ ${expected}`);
    near(costUsd(usage(1_000_000, 200_000, 100_000), { input: 3, output: 15, cached_input: 0.3 }), 2.4 + 0.06 + 1.5);
    // Without a cached rate, cached input costs what input costs.
    near(costUsd(usage(1_000_000, 200_000, 0), { input: 3, output: 15 }), 3);
  });

  it('is unpriced (null), never $0, without a price or with an unreported priced count', () => {
    assert.equal(costUsd(usage(10, 0, 10), undefined), null);
    assert.equal(costUsd(usage(undefined, undefined, 10), { input: 3, output: 15 }), null);
    // A free local model costs nothing even when Ollama leaves out the prompt count.
    assert.equal(costUsd(usage(undefined, undefined, 10), { input: 0, output: 0 }), 0);
  });
});

function entry(overrides: Partial<LedgerEntry>): LedgerEntry {
  return { time: '2026-11-21T10:00:00.000Z', runId: 'run-1', role: 'mayor', provider: 'claude', providerType: 'anthropic', alias: 'sonnet', modelId: 'claude-sonnet-4-5', tokens: { input: 100, cachedInput: 0, output: 10, reasoning: null }, usd: 0.5, outcome: 'ok', ...overrides };
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
    assert.deepEqual(summarize(entries, 'role').map((row) => [row.key, row.attempts, row.usd, row.unpricedAttempts]), [['mayor', 1, 0.5, 0], ['polecat', 2, 0.25, 1]]);
    assert.deepEqual(summarize(entries, 'model').map((row) => row.key), ['sonnet', 'llama']);
    assert.deepEqual(summarize(entries, 'run', new Date('2026-11-21T11:30:00.000Z')).map((row) => [row.key, row.usd]), [['run-2', 0.25]]);
  });
});
