// Listing runs (`electrictown/listRuns`, the Runs view) with 1,000 runs in one day: every run of the
// newest day must be read to sort them by start, so the list reads each folder's small summary.json.
//   first list   listRuns(limit 50) in a new process (nothing known)  floor: readdir, then every
//                                                                     summary.json read raw, 64 at a time
//   warm list    the same list again: succeeded runs never change, so they are not read again
//   no summaries the first list of runs from before summary.json (each whole run.json read and parsed)
// Each "first" sample starts with nothing remembered (forgetSummaries), as a new server would.
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RunRecord } from '../server/src/protocol';
import { forgetSummaries, listRuns, storedSummary, SUMMARY_FILE } from '../server/src/run/run-store';
import { median } from './measure';
import type { Row } from './router';

const RUNS = 1_000;
const ITERATIONS = 10;

/** A finished run's record of a realistic size: 8 subtasks with their attempts (~25 KB). */
function record(index: number, folder: string): RunRecord {
  const attempt = { purpose: 'work', role: 'polecat', reference: 'coder', provider: 'openai', modelId: 'gpt-5-mini', outcome: 'ok', tokens: { input: 4200, cachedInput: 0, output: 900, reasoning: 0 }, usd: 0.0042, estimated: false, durationMs: 8123 };
  const subtasks = Array.from({ length: 8 }, (_, subtask) => ({ index: subtask + 1, text: `Write part ${subtask + 1} of the service, with its tests and a short README section describing it.`, status: 'succeeded', attempts: [attempt, { ...attempt, purpose: 'review', role: 'witness' }], files: [`src/part${subtask + 1}.ts`, `src/part${subtask + 1}.test.ts`] }));
  const started = new Date(Date.UTC(2026, 11, 7, 0, 0, index)).toISOString();
  return { version: 1, id: index.toString(16).padStart(10, '0'), task: `Task number ${index}: build the thing`, status: 'succeeded', startedAt: started, endedAt: started, pid: 1, folder, totals: { usd: 0.07, unpricedAttempts: 0 }, subtasks, warnings: [], findings: [], phases: [] } as unknown as RunRecord;
}

async function time(run: () => Promise<unknown>): Promise<number> {
  for (let warmup = 0; warmup < 2; warmup++) await run();
  const samples: number[] = [];
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export async function runsListRows(): Promise<Row[]> {
  const logs = mkdtempSync(path.join(tmpdir(), 'et-bench-runs-'));
  try {
    const folders: string[] = [];
    for (let index = 0; index < RUNS; index++) {
      const folder = path.join(logs, `2026-12-07_${index.toString(16).padStart(10, '0')}`);
      mkdirSync(folder);
      const run = record(index, folder);
      writeFileSync(path.join(folder, 'run.json'), `${JSON.stringify(run, null, 2)}\n`);
      writeFileSync(path.join(folder, SUMMARY_FILE), `${JSON.stringify(storedSummary(run))}\n`);
      folders.push(folder);
    }
    const listed = await listRuns(logs, 50);
    if (listed.length !== 50 || listed[0].id !== (RUNS - 1).toString(16).padStart(10, '0')) throw new Error('the bench lists the wrong runs');
    const first = await time(() => (forgetSummaries(), listRuns(logs, 50)));
    const warm = await time(() => listRuns(logs, 50));
    const floor = await time(async () => {
      const names = await readdir(logs);
      for (let batch = 0; batch < names.length; batch += 64) await Promise.all(names.slice(batch, batch + 64).map((name) => readFile(path.join(logs, name, SUMMARY_FILE))));
    });
    for (const folder of folders) unlinkSync(path.join(folder, SUMMARY_FILE));
    const withoutSummaries = await time(() => (forgetSummaries(), listRuns(logs, 50)));
    return [
      [`listRuns, ${RUNS.toLocaleString('en-US')} runs in one day (the newest 50), first list`, `${first.toFixed(1)} ms`, `${floor.toFixed(1)} ms (readdir + each summary.json read raw)`, `${(first / floor).toFixed(2)}×`, '≤ 50 ms'],
      ['same, warm (succeeded runs are not read again)', `${warm.toFixed(1)} ms`, `${floor.toFixed(1)} ms`, `${(warm / floor).toFixed(2)}×`, '≤ 50 ms'],
      ['same, first list of runs from before summary.json (each ~25 KB run.json read)', `${withoutSummaries.toFixed(1)} ms`, `${floor.toFixed(1)} ms`, `${(withoutSummaries / floor).toFixed(2)}×`, ''],
    ];
  } finally {
    rmSync(logs, { recursive: true, force: true });
  }
}

if (require.main === module) void runsListRows().then((rows) => console.log(rows.map((row) => row.join(' | ')).join('\n')));
