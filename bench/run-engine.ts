// The run engine's overhead, driven as a headless client drives it (`et serve --stdio`,
// `electrictown/run`, events until `run-end`), against a fake team that answers every call in 20 ms
// (bench/team-server.mjs, its own process). The floor, measured in the same run, is the critical path
// of model calls made with raw `undici.request` and nothing else: the same requests to the same server,
// each step waiting for the one before, the workers' steps 8 at once as in the run. It is what no
// scheduler can beat on this machine: 8 calls at once take longer than one here (2 cores for the fake,
// the server and this client).
//   8 subtasks     decompose → 8 × work → 8 × review → synthesize
//   same, default  decompose → coordinate → 8 × work → 8 × review → synthesize → polish
//   64 subtasks    decompose → 8 rounds of (8 × work → 8 × review) → synthesize  (8 workers)
// Also the server's peak memory, the event notifications it sent per second, and what the editor's
// Runs view does with them (bench/runs-view.ts).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { request } from 'undici';
import { builtInPrompt } from '../server/src/prompts';
import type { RunEventParams, RunFlags, RunStarted } from '../server/src/protocol';
import { LspProcess } from '../test/helpers/lsp-process';
import { median, startFakeServer } from './measure';
import { runsViewRows } from './runs-view';
import type { Row } from './router';

const KEY = 'bench-key-not-a-secret';

type Step = 'mayor-decompose' | 'mayor-coordinate' | 'polecat' | 'witness' | 'mayor-synthesize' | 'refinery-summarize';

/** One raw call of a step, with the prompt that makes the fake team give that step's answer. */
async function rawCall(baseUrl: string, step: Step, subtask: number): Promise<void> {
  const user = step === 'mayor-decompose' ? 'Build 8 subtasks' : step === 'polecat' ? `Your subtask (${subtask} of 8):\nWrite it.` : 'The subtask and its output.';
  const body = JSON.stringify({ model: 'bench', stream: step === 'polecat', messages: [{ role: 'system', content: builtInPrompt(step) }, { role: 'user', content: user }] });
  const response = await request(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body });
  await response.body.text();
}

/** The critical path as raw calls: each step after the one before, a step of N calls N at once. */
async function scheduleFloor(baseUrl: string, steps: readonly [Step, number][]): Promise<number> {
  const start = performance.now();
  for (const [step, width] of steps) await Promise.all(Array.from({ length: width }, (_, index) => rawCall(baseUrl, step, index + 1)));
  return performance.now() - start;
}

function peakMegabytes(pid: number): number {
  return Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

interface Measured {
  ms: number;
  notifications: number;
  events: number;
  batches: RunEventParams[];
}

async function timeRun(server: LspProcess, task: string, flags: RunFlags): Promise<Measured> {
  const first = server.messages.length;
  const start = performance.now();
  const { runId } = await server.request<RunStarted>('electrictown/run', { task, outputDir: `out-${Math.random().toString(16).slice(2)}`, ...flags });
  const isOurs = (message: { method?: string; params?: unknown }) => message.method === 'electrictown/runEvent' && (message.params as RunEventParams).runId === runId;
  await server.waitFor((message) => isOurs(message) && (message.params as RunEventParams).events.some((event) => event.kind === 'run-end'), 60_000);
  const ms = performance.now() - start;
  const batches = server.messages.slice(first).filter(isOurs);
  const events = batches.reduce((sum, message) => sum + (message.params as RunEventParams).events.length, 0);
  return { ms, notifications: batches.length, events, batches: batches.map((message) => message.params as RunEventParams) };
}

const ratio = (subject: number, floor: number) => `${(subject / floor).toFixed(2)}×`;

export async function runEngineRows(): Promise<Row[]> {
  const { child, port } = await startFakeServer('team-server.mjs');
  const workspace = mkdtempSync(path.join(tmpdir(), 'et-bench-run-'));
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  writeFileSync(
    path.join(workspace, 'electrictown.yaml'),
    `providers:\n  team: { type: openai, base_url: "${baseUrl}", api_key: $BENCH_KEY }\nmodels:\n  planner: { provider: team, model: planner, pricing: { input: 1, output: 4 } }\n  coder: { provider: team, model: coder, pricing: { input: 1, output: 4 } }\n  judge: { provider: team, model: judge, pricing: { input: 1, output: 4 } }\nroles:\n  mayor: { model: planner }\n  polecat: { model: coder }\n  witness: { model: judge }\n  refinery: { model: planner }\ndefaults:\n  log_dir: logs\n`,
  );
  const server = LspProcess.start({ BENCH_KEY: KEY });
  try {
    await server.initialize({ rootUri: pathToFileURL(workspace).href });
    const lean = { coordinate: false, refinery: false };
    const eightSteps: [Step, number][] = [['mayor-decompose', 1], ['polecat', 8], ['witness', 8], ['mayor-synthesize', 1]];
    const fullSteps: [Step, number][] = [['mayor-decompose', 1], ['mayor-coordinate', 1], ['polecat', 8], ['witness', 8], ['mayor-synthesize', 1], ['refinery-summarize', 1]];
    const wideSteps: [Step, number][] = [['mayor-decompose', 1], ...Array.from({ length: 8 }, (): [Step, number][] => [['polecat', 8], ['witness', 8]]).flat(), ['mayor-synthesize', 1]];
    // Warm up: the engine's modules load on the first run.
    await timeRun(server, 'Build 8 subtasks', lean);
    await scheduleFloor(baseUrl, eightSteps);

    const rows: Row[] = [];
    /** Floor and run alternate, so drift on a shared machine hits both alike. */
    const sample = async (runs: number, task: string, flags: RunFlags, steps: [Step, number][]) => {
      const subject: number[] = [];
      const floor: number[] = [];
      let last: Measured | undefined;
      for (let run = 0; run < runs; run++) {
        floor.push(await scheduleFloor(baseUrl, steps));
        last = await timeRun(server, task, flags);
        subject.push(last.ms);
      }
      return { subject: median(subject), floor: median(floor), last: last as Measured };
    };

    const eight = await sample(15, 'Build 8 subtasks', lean, eightSteps);
    rows.push(['run, 8 subtasks, every call 20 ms: decompose, 8 × (work, review), synthesize', `${eight.subject.toFixed(0)} ms`, `${eight.floor.toFixed(0)} ms (same calls, raw)`, ratio(eight.subject, eight.floor), '≤ 1.2×']);
    const full = await sample(9, 'Build 8 subtasks', {}, fullSteps);
    rows.push(['same, default phases (+ coordinate, polish)', `${full.subject.toFixed(0)} ms`, `${full.floor.toFixed(0)} ms (same calls, raw)`, ratio(full.subject, full.floor), '']);
    const wide = await sample(5, 'Build 64 subtasks', { ...lean, workers: 8, maxSubtasks: 64 }, wideSteps);
    rows.push(['run, 64 subtasks on 8 workers, every call 20 ms', `${wide.subject.toFixed(0)} ms`, `${wide.floor.toFixed(0)} ms (ideal schedule, raw)`, ratio(wide.subject, wide.floor), '≤ 1.2×']);
    rows.push(['server peak memory over the runs above (VmHWM)', `${peakMegabytes(server.child.pid ?? 0).toFixed(0)} MB`, '', '', '≤ 150 MB']);
    const perSecond = (wide.last.notifications * 1000) / wide.last.ms;
    rows.push(['event notifications to the client, 64-subtask run', `${perSecond.toFixed(0)} per second`, `${wide.last.events} events in ${wide.last.notifications} batches`, '', '≤ 20/s']);
    rows.push(...runsViewRows(wide.last.batches));
    return rows;
  } finally {
    await server.shutdown().catch(() => server.kill());
    child.kill();
  }
}

if (require.main === module) {
  void runEngineRows().then((rows) => {
    for (const row of rows) console.log(row.join(' | '));
  });
}
