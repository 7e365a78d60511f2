// `et costs` and the Costs view over a ledger of 100,000 attempts (~33 MB):
//   first      no index yet: the whole ledger read, the index built and saved   floor: reading the ledger raw
//   warm, CLI  a new process, the index on disk, nothing appended              floor: reading the index file raw
//   warm, view the server asked again (its index in memory), 10 lines appended  floor: the same
//   the old way: every line parsed and summed (readLedger + summarize), for comparison
// Each "first"/"CLI" sample forgets what the process knows (forgetLedgerIndexes), as a new one would.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { readLedger, summarize } from '../server/src/cost/ledger';
import { forgetLedgerIndexes, indexFileOf, ledgerCosts } from '../server/src/cost/ledger-index';
import { median } from './measure';
import type { Row } from './router';

const ENTRIES = 100_000;

function line(index: number): string {
  return `${JSON.stringify({ time: new Date(Date.UTC(2026, 9, 1) + index * 30_000).toISOString(), runId: `run-${Math.floor(index / 60).toString(16)}`, subtask: index % 8, purpose: 'work', attempt: 1, role: ['mayor', 'polecat', 'witness', 'refinery'][index % 4], provider: 'anthropic', providerType: 'anthropic', alias: 'worker', modelId: 'claude-sonnet-4-5', tokens: { input: 4200, cachedInput: 3000, cacheWrite: 0, output: 850, reasoning: 0 }, estimated: false, usd: 0.0153, cacheSavedUsd: 0.0081, outcome: 'ok' })}\n`;
}

async function time(samples: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  const measured: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const started = performance.now();
    await run();
    measured.push(performance.now() - started);
  }
  return median(measured);
}

export async function costsRows(): Promise<Row[]> {
  const folder = mkdtempSync(path.join(tmpdir(), 'et-bench-costs-'));
  try {
    const ledger = path.join(folder, 'ledger.jsonl');
    let text = '';
    for (let index = 0; index < ENTRIES; index++) text += line(index);
    writeFileSync(ledger, text);
    const since = new Date(Date.UTC(2026, 9, 10, 12, 30));
    const first = await time(3, async () => {
      forgetLedgerIndexes();
      rmSync(indexFileOf(ledger), { force: true });
      await ledgerCosts(ledger, 'role');
    });
    const rawLedger = await time(3, () => readFile(ledger));
    const cli = await time(10, async () => {
      forgetLedgerIndexes();
      await ledgerCosts(ledger, 'role', since);
    });
    const rawIndex = await time(10, () => readFile(indexFileOf(ledger)));
    let appended = ENTRIES;
    const view = await time(10, async () => {
      for (let more = 0; more < 10; more++) appendFileSync(ledger, line(appended++));
      await ledgerCosts(ledger, 'model', since);
    });
    const old = await time(3, async () => summarize((await readLedger(ledger)).entries, 'role', since));
    return [
      [`et costs, ${ENTRIES.toLocaleString('en-US')}-attempt ledger, first (builds the index)`, `${first.toFixed(0)} ms`, `${rawLedger.toFixed(0)} ms (the ledger read raw)`, `${(first / rawLedger).toFixed(2)}×`, ''],
      ['same, warm: a new `et costs` with the index on disk, --since inside an hour', `${cli.toFixed(1)} ms`, `${rawIndex.toFixed(1)} ms (the index read raw)`, `${(cli / rawIndex).toFixed(2)}×`, '≤ 100 ms'],
      ['same, the Costs view refreshed (server, index in memory, 10 lines appended)', `${view.toFixed(1)} ms`, `${rawIndex.toFixed(1)} ms`, `${(view / rawIndex).toFixed(2)}×`, '≤ 100 ms'],
      ['same, every line parsed and summed (before the index)', `${old.toFixed(0)} ms`, `${rawLedger.toFixed(0)} ms`, `${(old / rawLedger).toFixed(2)}×`, ''],
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (require.main === module) void costsRows().then((rows) => console.log(rows.map((row) => row.join(' | ')).join('\n')));
