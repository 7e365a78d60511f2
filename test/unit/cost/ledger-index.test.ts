import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseLedger, summarize, type LedgerEntry, type SummaryKey } from '../../../server/src/cost/ledger';
import { forgetLedgerIndexes, indexFileOf, ledgerCosts } from '../../../server/src/cost/ledger-index';
import { LedgerWriter } from '../../../server/src/cost/ledger-writer';

/** A deterministic ledger: entries over three days, four roles, a few runs and models, some unpriced. */
function entries(count: number, seed: number): LedgerEntry[] {
  let state = seed;
  const next = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const start = Date.UTC(2026, 10, 20, 7, 13);
  return Array.from({ length: count }, (_, index) => ({
    time: new Date(start + Math.floor(next() * 3 * 86_400_000)).toISOString(),
    runId: next() < 0.1 ? undefined : `run-${Math.floor(next() * 7)}`,
    role: ['mayor', 'polecat', 'witness', 'refinery', undefined][Math.floor(next() * 5)],
    provider: ['openai', 'anthropic', 'local'][index % 3],
    providerType: 'openai',
    alias: next() < 0.5 ? 'coder' : undefined,
    modelId: `model-${index % 4}`,
    tokens: { input: Math.floor(next() * 5000), cachedInput: Math.floor(next() * 1000), cacheWrite: index % 9 === 0 ? 200 : null, output: Math.floor(next() * 900), reasoning: 0 },
    estimated: next() < 0.05,
    usd: next() < 0.1 ? null : Math.round(next() * 1e6) / 1e8,
    ...(index % 7 === 0 ? { cacheSavedUsd: 0.0001 } : {}),
    outcome: next() < 0.8 ? 'ok' : 'fallback',
  }));
}

const lines = (list: readonly LedgerEntry[]) => list.map((entry) => `${JSON.stringify(entry)}\n`).join('');

/** The same figures, rounded where sums in another order differ in the last bits. */
function rounded(summary: ReturnType<typeof summarize>) {
  const round = (row: (typeof summary.rows)[number]) => ({ ...row, usd: Number(row.usd.toFixed(9)), cacheSavedUsd: Number(row.cacheSavedUsd.toFixed(9)), cachedShare: Number(row.cachedShare.toFixed(9)) });
  return { rows: summary.rows.map(round).sort((a, b) => a.key.localeCompare(b.key)), total: round(summary.total) };
}

describe('the ledger’s index', () => {
  it('gives exactly what reading the whole ledger gives, by every key and for a --since inside an hour', async () => {
    const ledger = path.join(mkdtempSync(path.join(tmpdir(), 'et-index-')), 'ledger.jsonl');
    const all = entries(3000, 7);
    writeFileSync(ledger, lines(all));
    const sinces = [undefined, new Date(Date.UTC(2026, 10, 21, 13, 37, 12, 345)), new Date(Date.UTC(2026, 10, 22, 0, 0)), new Date(Date.UTC(2030, 0, 1))];
    for (const by of ['role', 'provider', 'model', 'run'] as SummaryKey[]) {
      for (const since of sinces) {
        forgetLedgerIndexes();
        const { skippedLines, ...indexed } = await ledgerCosts(ledger, by, since);
        assert.deepEqual(rounded(indexed), rounded(summarize(parseLedger(readFileSync(ledger, 'utf8')).entries, by, since)), `${by} since ${since?.toISOString()}`);
        assert.equal(skippedLines, 0);
      }
    }
    assert.ok(existsSync(indexFileOf(ledger)));
  });

  it('reads only what was appended since, and rebuilds for a ledger rewritten in place', async () => {
    const ledger = path.join(mkdtempSync(path.join(tmpdir(), 'et-index-')), 'ledger.jsonl');
    const all = entries(400, 11);
    writeFileSync(ledger, lines(all.slice(0, 300)));
    assert.equal((await ledgerCosts(ledger, 'role')).total.attempts, 300);
    appendFileSync(ledger, lines(all.slice(300)));
    forgetLedgerIndexes();
    // A new process: the index on disk, and the 100 lines after it read from the ledger.
    const saved = JSON.parse(readFileSync(indexFileOf(ledger), 'utf8'));
    assert.equal(saved.buckets.reduce((sum: number, bucket: { totals: number[] }) => sum + bucket.totals[0], 0), 300);
    assert.equal((await ledgerCosts(ledger, 'role')).total.attempts, 400);
    forgetLedgerIndexes();
    assert.equal((await ledgerCosts(ledger, 'role')).total.attempts, 400);
    // Rewritten in place, longer than before (same file, other lines): the index is not trusted.
    writeFileSync(ledger, lines(entries(500, 3)));
    assert.deepEqual(rounded(await ledgerCosts(ledger, 'model')), rounded({ ...summarize(parseLedger(readFileSync(ledger, 'utf8')).entries, 'model') }));
    // An index that is garbage is rebuilt, not believed.
    writeFileSync(indexFileOf(ledger), '{"version":1,"keys":');
    forgetLedgerIndexes();
    assert.equal((await ledgerCosts(ledger, 'role')).total.attempts, 500);
  });

  it('keeps an entry that another process’s half line ran into, and says the half line is unreadable', async () => {
    const ledger = path.join(mkdtempSync(path.join(tmpdir(), 'et-index-')), 'ledger.jsonl');
    const [first, second, third] = entries(3, 5);
    // A process killed mid-write left half a line; another process's writer, open before, appends on.
    const writer = new LedgerWriter(ledger, (error) => assert.fail(String(error)));
    writer.record(first);
    await writer.flush();
    appendFileSync(ledger, JSON.stringify(second).slice(0, 40));
    writer.record(third);
    await writer.close();
    const text = readFileSync(ledger, 'utf8');
    assert.deepEqual(parseLedger(text).entries.map((entry) => entry.time), [first.time, third.time]);
    assert.equal(parseLedger(text).skippedLines, 1);
    // A writer that did not start a fresh line (an older electrictown): the whole entry is still found.
    assert.deepEqual(parseLedger(`${JSON.stringify(second).slice(0, 40)}${JSON.stringify(third)}\n`).entries.map((entry) => entry.time), [third.time]);
    forgetLedgerIndexes();
    const costs = await ledgerCosts(ledger, 'role');
    assert.deepEqual([costs.total.attempts, costs.skippedLines], [2, 1]);
  });
});

describe('the ledger’s index, asked several times at once', () => {
  it('counts each line once (the Costs view asks for three periods together)', async () => {
    const ledger = path.join(mkdtempSync(path.join(tmpdir(), 'et-index-')), 'ledger.jsonl');
    writeFileSync(ledger, lines(entries(200, 13)));
    forgetLedgerIndexes();
    await ledgerCosts(ledger, 'role');
    appendFileSync(ledger, lines(entries(50, 17)));
    const answers = await Promise.all([ledgerCosts(ledger, 'role'), ledgerCosts(ledger, 'model'), ledgerCosts(ledger, 'run', new Date(0))]);
    assert.deepEqual(answers.map((answer) => answer.total.attempts), [250, 250, 250]);
  });
});
