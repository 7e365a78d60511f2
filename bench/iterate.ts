// --iterate and --resume, measured as a headless client sees them (`et serve --stdio`) against the
// stand-in team that answers every call in 20 ms:
//   iteration overhead  per round: the time from one build's end to the next build's start, less the
//                       longest fix call of the round (the fixes run at once) — what the engine adds:
//                       parsing errors, reading the failing files, writing the fixes, the record
//   resume              reading a 64-subtask run's state to continue it: its record, 64 kept answers,
//                       the config (prepareResume, in process)
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { RunEventParams, RunStarted } from '../server/src/protocol';
import { setupIsCurrent } from '../server/src/gates/setup-cache';
import { prepareResume } from '../server/src/run/prepare-run';
import { LspProcess } from '../test/helpers/lsp-process';
import { median, startFakeServer } from './measure';
import type { Row } from './router';

const KEY = 'bench-key-not-a-secret';

/** A build that always fails with a new error in one worker's file, so every round has one fix. */
const FAILING_BUILD = `${JSON.stringify(process.execPath)} -e "console.log('src/module-1.ts:1:1: error: attempt ' + Date.now()); process.exit(1)"`;

/**
 * The setup step's cache: two runs into one project whose setup takes 300 ms; the second finds its
 * inputs unchanged and skips it. The floor is the first run's setup itself.
 */
async function setupRows(server: LspProcess, workspace: string): Promise<Row[]> {
  const script = path.join(workspace, 'setup-300ms.js');
  writeFileSync(script, 'setTimeout(() => {}, 300);\n');
  const gates = [`setup:${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`, `build:${JSON.stringify(process.execPath)} -e 0`];
  let first = Number.NaN;
  let skipped = false;
  for (let run = 0; run < 2; run++) {
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build 8 subtasks', outputDir: 'out-setup', iterate: true, maxIterations: 1, gates, coordinate: false, refinery: false });
    await server.waitFor((message) => message.method === 'electrictown/runEvent' && (message.params as RunEventParams).runId === started.runId && (message.params as RunEventParams).events.some((event) => event.kind === 'run-end'), 120_000);
    const record = JSON.parse(readFileSync(path.join(started.folder, 'run.json'), 'utf8')) as { build: { setup: { durationMs: number; cached?: boolean }[] } };
    if (run === 0) first = record.build.setup[0].durationMs;
    else skipped = record.build.setup[0].cached === true;
  }
  // What skipping costs: the check of the setup's inputs, timed in process on the same project.
  const gate = { name: 'setup', kind: 'setup' as const, steps: [[process.execPath, script]], reason: '' };
  const samples: number[] = [];
  for (let sample = 0; sample < 21; sample++) {
    const start = performance.now();
    await setupIsCurrent(path.join(workspace, 'logs'), path.join(workspace, 'out-setup'), gate);
    samples.push(performance.now() - start);
  }
  const check = median(samples.slice(1));
  return [['gates: the setup step on a second run, inputs unchanged', skipped ? `${check.toFixed(2)} ms (skipped)` : 'ran again (not skipped)', `${first.toFixed(0)} ms (the setup, first run)`, skipped ? `${(check / first).toFixed(3)}×` : '', '']];
}

export async function iterateRows(): Promise<Row[]> {
  const { child, port } = await startFakeServer('team-server.mjs');
  const workspace = mkdtempSync(path.join(tmpdir(), 'et-bench-iterate-'));
  const config = path.join(workspace, 'electrictown.yaml');
  writeFileSync(config, `providers:\n  team: { type: openai, base_url: "http://127.0.0.1:${port}/v1", api_key: $BENCH_KEY }\nmodels:\n  planner: { provider: team, model: planner }\n  coder: { provider: team, model: coder }\n  judge: { provider: team, model: judge }\nroles:\n  mayor: { model: planner }\n  polecat: { model: coder }\n  witness: { model: judge }\n  refinery: { model: planner }\ndefaults:\n  log_dir: logs\n`);
  const server = LspProcess.start({ BENCH_KEY: KEY });
  try {
    await server.initialize({ rootUri: pathToFileURL(workspace).href });
    const overheads: number[] = [];
    let wideFolder = '';
    for (const [task, flags] of [
      ['Build 8 subtasks', { iterate: true, maxIterations: 6, buildCommand: FAILING_BUILD }],
      ['Build 8 subtasks', { iterate: true, maxIterations: 6, buildCommand: FAILING_BUILD }],
      ['Build 8 subtasks', { iterate: true, maxIterations: 6, buildCommand: FAILING_BUILD }],
      ['Build 64 subtasks', { maxSubtasks: 64, coordinate: false, refinery: false }],
    ] as const) {
      const started = await server.request<RunStarted>('electrictown/run', { task, outputDir: `out-${Math.random().toString(16).slice(2)}`, ...flags });
      await server.waitFor((message) => message.method === 'electrictown/runEvent' && (message.params as RunEventParams).runId === started.runId && (message.params as RunEventParams).events.some((event) => event.kind === 'run-end'), 120_000);
      if (!('iterate' in flags)) {
        wideFolder = started.folder;
        continue;
      }
      // From the engine's own record: the iterate phase's time, its builds', and each round's fix calls.
      const record = JSON.parse(readFileSync(path.join(started.folder, 'run.json'), 'utf8')) as { build: { attempts: { durationMs: number }[] }; phases: { name: string; durationMs: number; attempts: { purpose: string; durationMs: number }[] }[]; subtasks: { attempts: { purpose: string; durationMs: number }[] }[] };
      const iterate = record.phases.find((phase) => phase.name === 'iterate');
      const attempts = record.build.attempts;
      const fixes = record.subtasks.flatMap((subtask) => subtask.attempts).filter((attempt) => attempt.purpose === 'fix');
      const rounds = attempts.length - 1;
      // The build's one error names one worker's file, so each round has exactly one fix call: the
      // phase's time is its builds, its fix calls, and what the engine adds.
      const buildTime = attempts.reduce((sum, attempt) => sum + attempt.durationMs, 0);
      const fixTime = fixes.reduce((sum, attempt) => sum + attempt.durationMs, 0);
      if (iterate && rounds > 0) overheads.push((iterate.durationMs - buildTime - fixTime) / rounds);
    }
    // The first run in a new server also loads what iterate needs on first use (tree-sitter, for the
    // rewrite rule on a fix's whole file): reported apart from the rounds of a warm server.
    const rows: Row[] = [
      ['iterate: engine time per round, outside the gates and the fix calls (warm server)', `${median(overheads.slice(1)).toFixed(1)} ms`, '', '', '≤ 50 ms'],
      ['same, the first run in a new server', `${overheads[0].toFixed(1)} ms`, '', '', ''],
    ];

    // A copy of the 64-subtask run, as if its process had died while running.
    const copy = path.join(path.dirname(wideFolder), `${path.basename(wideFolder).slice(0, 11)}${'f'.repeat(10)}`);
    cpSync(wideFolder, copy, { recursive: true });
    const record = JSON.parse(readFileSync(path.join(copy, 'run.json'), 'utf8'));
    writeFileSync(path.join(copy, 'run.json'), JSON.stringify({ ...record, id: 'ffffffffff', status: 'running', pid: 2 ** 22 + 1 }));
    const answers = readdirSync(path.join(copy, 'answers')).length;
    const samples: number[] = [];
    for (let sample = 0; sample < 21; sample++) {
      const start = performance.now();
      const prepared = await prepareResume({ run: copy, configFile: config, baseDirectory: workspace, environment: { BENCH_KEY: KEY }, onLedgerError: () => undefined });
      samples.push(performance.now() - start);
      await prepared.ledger.close();
    }
    rows.push([`resume: read a 64-subtask run's state (record, ${answers} answers, config)`, `${median(samples.slice(1)).toFixed(1)} ms`, '', '', '≤ 100 ms']);
    rows.push(...(await setupRows(server, workspace)));
    return rows;
  } finally {
    await server.shutdown().catch(() => server.kill());
    child.kill();
  }
}

if (require.main === module) {
  void iterateRows().then((rows) => {
    for (const row of rows) console.log(row.join(' | '));
  });
}
