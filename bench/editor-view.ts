// The run view in a real VS Code (bench/run.ts adds these rows): test/integration/view-bench.test.ts
// runs in the editor's extension host, through test/integration/run.mjs, and writes its figures to a
// JSON file this reads. When no VS Code is at hand the rows say so instead of a figure.
//   first paint   openRunView on a finished 64-subtask, 5 MB run → the view's first page painted
//                 floor: a trivial webview opened → painted
//   per message   the view's own time per streamed-text message (handler + layout)   floor: an empty
//                 message's round trip to the same view
//   host CPU      the extension host's CPU over the run with the view open   floor: the same run, closed
//   activation    the last UI check's figure (test/ui/run-task.ui.mjs writes test-results/ui/activation.json)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Row } from './router';

const ROOT = path.join(__dirname, '..');
/** The repository's harness VS Code, next to the project (see /work/shared/vscode-harness). */
const HARNESS = path.resolve(ROOT, '..', 'shared', 'vscode-harness', 'code');

interface Summary {
  count: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  totalMs: number;
}

interface HostRun {
  wallMs: number;
  cpuMs: number;
  cpuShare: number;
  events: number;
  batches: number;
}

/** What view-bench.test.ts writes. */
export interface EditorViewFigures {
  subtasks: number;
  answerChars: number;
  vscode: string;
  firstPaintMs: number;
  firstPageRenderMs: number;
  trivialWebviewPaintMs: number;
  pingMs: number;
  perMessage: { stream: Summary; page: Summary };
  hostWithView: HostRun;
  hostWithoutView: HostRun;
}

export interface Activation {
  medianMs: number;
  /** When the UI check measured it. */
  measuredAt: Date;
}

const MEASURES = ['run view: first paint (openRunView → first page painted)', 'run view: per streamed-text message in the webview', 'run view: extension host CPU over the run, view open', 'extension activation (Running Extensions)'];

/** Rows that say why nothing was measured. */
export function notMeasuredRows(reason: string): Row[] {
  return MEASURES.map((measure) => [measure, `not measured: ${reason}`, '', '', '']);
}

const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;
const ratio = (value: number, floor: number) => (floor > 0 ? `${(value / floor).toFixed(2)}×` : '');
const share = (run: HostRun) => `${Math.round(run.cpuShare * 100)}% of ${(run.wallMs / 1000).toFixed(1)} s`;

export function editorViewRows(figures: EditorViewFigures, activation: Activation | undefined): Row[] {
  const run = `${figures.subtasks}-subtask run, ${((figures.subtasks * figures.answerChars) / 1e6).toFixed(1)} MB of answers, VS Code ${figures.vscode}`;
  const { stream, page } = figures.perMessage;
  const { hostWithView: open, hostWithoutView: closed } = figures;
  return [
    [`run view: first paint (openRunView → first page painted), finished ${run}; the page's own render ${ms(figures.firstPageRenderMs)}`, ms(figures.firstPaintMs), `${ms(figures.trivialWebviewPaintMs)} (a trivial webview opened → painted)`, ratio(figures.firstPaintMs, figures.trivialWebviewPaintMs), ''],
    [`run view: per streamed-text message in the webview (handler + layout; ${stream.count} messages, p95 ${ms(stream.p95Ms)}, max ${ms(stream.maxMs)}, ${ms(stream.totalMs)} in all; ${page.count} pages, median ${ms(page.medianMs)})`, ms(stream.medianMs), `${ms(figures.pingMs)} (an empty message's round trip)`, ratio(stream.medianMs, figures.pingMs), ''],
    [`run view: extension host CPU over the run, view open (${open.events} events in ${open.batches} batches)`, `${ms(open.cpuMs)} (${share(open)})`, `${ms(closed.cpuMs)} (${share(closed)}), view closed`, ratio(open.cpuMs, closed.cpuMs), 'off the hot path'],
    activation
      ? [`extension activation (Running Extensions, from the UI check of ${activation.measuredAt.toISOString().slice(0, 16).replace('T', ' ')} UTC)`, ms(activation.medianMs), '', '', '≤ 25 ms']
      : [MEASURES[3], 'not measured: no UI check figure (run test/ui/run-task.ui.mjs)', '', '', '≤ 25 ms'],
  ];
}

/** The VS Code to run in, or undefined. */
export function vscodeExecutable(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  if (environment.VSCODE_EXECUTABLE_PATH) return environment.VSCODE_EXECUTABLE_PATH;
  return existsSync(HARNESS) ? HARNESS : undefined;
}

function readActivation(): Activation | undefined {
  const file = path.join(ROOT, 'test-results', 'ui', 'activation.json');
  if (!existsSync(file)) return undefined;
  const { medianMs } = JSON.parse(readFileSync(file, 'utf8')) as { medianMs: number };
  return Number.isFinite(medianMs) ? { medianMs, measuredAt: statSync(file).mtime } : undefined;
}

function runNode(args: string[], environment: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // The editor's output goes to stderr: stdout is the bench's table.
    const child = spawn(process.execPath, args, { cwd: ROOT, env: environment, stdio: ['ignore', process.stderr, process.stderr] });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

export async function editorViewBenchRows(): Promise<Row[]> {
  const executable = vscodeExecutable();
  if (!executable) return notMeasuredRows('no VS Code (set VSCODE_EXECUTABLE_PATH)');
  const scratch = mkdtempSync(path.join(tmpdir(), 'electrictown-view-bench-'));
  const results = path.join(scratch, 'figures.json');
  try {
    if ((await runNode(['esbuild.mjs', '--tests'], process.env)) !== 0) return notMeasuredRows('the test bundle did not build');
    const code = await runNode(['test/integration/run.mjs'], { ...process.env, VSCODE_EXECUTABLE_PATH: executable, ELECTRICTOWN_BENCH_RESULTS: results });
    if (code !== 0 || !existsSync(results)) return notMeasuredRows(`the in-editor bench failed (exit ${code}; its output is above)`);
    return editorViewRows(JSON.parse(readFileSync(results, 'utf8')) as EditorViewFigures, readActivation());
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
