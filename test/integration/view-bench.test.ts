// The run view's figures for `npm run bench` (bench/editor-view.ts), in a real VS Code: a 64-subtask run
// whose answers (80 KB each, about 5 MB in all) stream from a stand-in provider in its own process.
//   first paint   openRunView on the finished run → the view says its first page is on screen
//                 (both ends on the extension host's clock)   floor: a trivial webview opened → painted
//   per event     each message's time in the view (handler + the layout it caused) while the run
//                 streams, as the view measures itself   floor: an empty message's round trip
//   host CPU      process.cpuUsage() of the extension host over the run, with the view open vs. closed
// Not part of the in-editor suite: only bench-index.ts loads it. Figures go to ELECTRICTOWN_BENCH_RESULTS.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ElectrictownApi } from '../../client/src/extension';
import type { RunView } from '../../client/src/runs/run-view';
import { summariseTimings } from '../../client/src/runs/view-timings';
import { until } from './wait';

const SUBTASKS = 64;
const ANSWER_CHARS = 80_000;
/** Each answer streams in 40 chunks of about 2 KB, 10 ms apart. */
const STREAM_CHUNKS = 40;
const CHUNK_GAP_MS = 10;
const PAINT_SAMPLES = 5;
const PINGS = 30;

function forkStandIn(): Promise<{ baseUrl: string; child: ChildProcess }> {
  // In Electron's extension host process.execPath is Electron itself: run it as plain Node.
  const child = fork(path.join(__dirname, 'parts-stand-in.js'), [String(SUBTASKS), String(STREAM_CHUNKS), String(CHUNK_GAP_MS), String(ANSWER_CHARS)], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { baseUrl: string }) => resolve({ baseUrl: message.baseUrl, child }));
    child.once('exit', (code) => reject(new Error(`the stand-in provider exited (${code}) before listening`)));
  });
}

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const round = (ms: number) => Math.round(ms * 100) / 100;
const median = (values: number[]) => summariseTimings(values).medianMs;

/** A webview that does nothing but say it painted: opened → painted, on the extension host's clock. */
async function trivialWebviewPaint(): Promise<number> {
  const started = performance.now();
  const panel = vscode.window.createWebviewPanel('electrictown.benchFloor', 'Floor', vscode.ViewColumn.Active, { enableScripts: true });
  const painted = new Promise<number>((resolve) => panel.webview.onDidReceiveMessage(() => resolve(performance.now())));
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-floor';"></head><body><p>Floor</p><script nonce="floor">const vscode = acquireVsCodeApi(); requestAnimationFrame(() => setTimeout(() => vscode.postMessage('painted'), 0));</script></body></html>`;
  const at = await painted;
  panel.dispose();
  return at - started;
}

describe('Bench: the run view during a 64-subtask run with 5 MB of answers', () => {
  let api: ElectrictownApi;
  let standIn: ChildProcess;

  before(async () => {
    api = await vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown')!.activate();
    const { baseUrl, child } = await forkStandIn();
    standIn = child;
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const config = `providers:\n  standin: { type: openai, base_url: "${baseUrl}", auth_type: none }\ndefaults:\n  model: standin/stand-in\n  log_dir: logs\n`;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'viewbench', 'electrictown.yaml'), Buffer.from(config));
    // The run view reads transcripts through the configured config's log folder.
    await vscode.workspace.getConfiguration('electrictown').update('configPath', 'viewbench/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    await api.server.restart();
    await until('the language client to run', () => api.server.languageClient);
  });

  after(async () => {
    standIn.kill();
    api.transcripts.measure = false;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('electrictown').update('configPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  /** One run; with `open`, its view opened (measured) as soon as the run is listed. */
  async function timedRun(open: boolean): Promise<{ view: RunView; wallMs: number; cpuMs: number; events: number; batches: number }> {
    let events = 0;
    let batches = 0;
    const counting = api.runs.onDidApplyEvents(({ events: batch }) => {
      batches++;
      events += batch.length;
    });
    const cpu = process.cpuUsage();
    const started = performance.now();
    const finished = vscode.commands.executeCommand<RunView>('electrictown.runTask', { task: `Write ${SUBTASKS} long parts`, configPath: 'viewbench/electrictown.yaml', outputDir: 'viewbench/out', workers: 8, iterate: false, maxSubtasks: SUBTASKS });
    if (open) {
      const live = await until('the run to start', () => api.runs.running().at(-1));
      await vscode.commands.executeCommand('electrictown.openRunView', { runId: live.id, title: live.task });
    }
    const view = await finished;
    const wallMs = performance.now() - started;
    const used = cpuMs(process.cpuUsage(cpu));
    counting.dispose();
    assert.equal(view.status, 'succeeded', view.error);
    assert.equal(view.subtasks.length, SUBTASKS);
    return { view, wallMs, cpuMs: used, events, batches };
  }

  it('measures first paint, per-event cost and the extension host CPU', async function () {
    this.timeout(600_000);
    api.transcripts.measure = true;

    // A first run warms the extension host's code paths up, so that neither measured run pays for it.
    const warmUp = await timedRun(false);
    await vscode.commands.executeCommand('electrictown.changes.discardRun', warmUp.view.id);

    // The view open while the run streams: its per-message costs, and the host's CPU.
    const withView = await timedRun(true);
    // Once the run is over the view says so and streams nothing, though it is still paging down.
    const ended = await until('the view to show the run ended', () => {
      const state = api.transcripts.rendered(withView.view.id);
      return state && state.status === 'succeeded' && Object.keys(state.streaming).length === 0 ? state : undefined;
    }).catch((error: Error) => {
      throw new Error(`${error.message}; the view shows ${JSON.stringify(api.transcripts.rendered(withView.view.id))}`);
    });
    const samples = await api.transcripts.timings(withView.view.id);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('electrictown.changes.discardRun', withView.view.id);

    const withoutView = await timedRun(false);
    await vscode.commands.executeCommand('electrictown.changes.discardRun', withoutView.view.id);

    // First paint of the finished 5 MB run, opened afresh each time; then the floor, a trivial webview.
    const paints: number[] = [];
    for (let sample = 0; sample < PAINT_SAMPLES; sample++) {
      const started = performance.now();
      await vscode.commands.executeCommand('electrictown.openRunView', { runId: withView.view.id, title: withView.view.task });
      const paintedAt = await until('the view to paint its first page', () => api.transcripts.paintedAt(withView.view.id), 30_000).catch((error: Error) => {
        throw new Error(`${error.message}; the view shows ${JSON.stringify(api.transcripts.rendered(withView.view.id))}`);
      });
      paints.push(paintedAt - started);
      if (sample === PAINT_SAMPLES - 1) break;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await until('the view to close', () => (api.transcripts.paintedAt(withView.view.id) === undefined ? true : undefined));
    }
    const firstPage = await api.transcripts.timings(withView.view.id);
    const pings: number[] = [];
    for (let ping = 0; ping < PINGS; ping++) pings.push(await api.transcripts.ping(withView.view.id));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const floors: number[] = [];
    for (let sample = 0; sample < PAINT_SAMPLES; sample++) floors.push(await trivialWebviewPaint());

    const summary = (values: number[] | undefined) => {
      const { count, medianMs, p95Ms, maxMs, totalMs } = summariseTimings(values ?? []);
      return { count, medianMs: round(medianMs), p95Ms: round(p95Ms), maxMs: round(maxMs), totalMs: round(totalMs) };
    };
    const host = (run: typeof withView) => ({ wallMs: Math.round(run.wallMs), cpuMs: Math.round(run.cpuMs), cpuShare: round(run.cpuMs / run.wallMs), events: run.events, batches: run.batches });
    const figures = {
      subtasks: SUBTASKS,
      answerChars: ANSWER_CHARS,
      vscode: vscode.version,
      entries: ended.entries,
      firstPaintMs: round(median(paints)),
      firstPaintSamplesMs: paints.map(round),
      firstPageRenderMs: round(firstPage.page?.[0] ?? NaN),
      trivialWebviewPaintMs: round(median(floors)),
      pingMs: round(median(pings)),
      perMessage: { stream: summary(samples.stream), page: summary(samples.page) },
      hostWithView: host(withView),
      hostWithoutView: host(withoutView),
    };
    console.log(`run view bench: ${JSON.stringify(figures)}`);
    const results = process.env.ELECTRICTOWN_BENCH_RESULTS;
    if (results) writeFileSync(results, JSON.stringify(figures, null, 2));
    assert.ok(figures.perMessage.stream.count > 0, 'the view received streamed text');
  });
});
