// The extension host during a 64-subtask run, in a real VS Code: every event batch is applied within
// the 10 ms budget, the Runs tree is redrawn on a coalesced schedule rather than per batch, and each
// call a redraw of the whole tree makes (as a fully expanded view would) stays within the budget too.
// Budgets are checked on the extension host thread's CPU time where Node measures it (wall time is
// reported too: on a busy 2-core machine it includes time the thread was not scheduled).
// The figures go to test-results/editor/responsiveness.json and the log. The event loop's delay is
// reported, not asserted: it also holds VS Code's own work (here, compressing its messages to the web
// workbench), the language client's parsing and garbage collection.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { ElectrictownApi } from '../../client/src/extension';
import { measured, noCost, type HandlerCost } from '../../client/src/handler-cost';
import type { RunsNode, RunsTree } from '../../client/src/runs/runs-tree';
import type { RunView } from '../../client/src/runs/run-view';
import { REFRESH_INTERVAL_MS } from '../../client/src/runs/runs-model';
import { until } from './wait';

const SUBTASKS = 64;
/** Each answer streams in 40 chunks 10 ms apart: a run of several seconds, in many event batches. */
const STREAM_CHUNKS = 40;
const CHUNK_GAP_MS = 10;
/** The budget for any one handler on the extension host. */
const HANDLER_BUDGET_MS = 10;

/** The stand-in provider in its own process (see parts-stand-in.ts); resolves with its base URL. */
function forkStandIn(): Promise<{ baseUrl: string; child: ChildProcess }> {
  // In Electron's extension host process.execPath is Electron itself: run it as plain Node.
  const child = fork(path.join(__dirname, 'parts-stand-in.js'), [String(SUBTASKS), String(STREAM_CHUNKS), String(CHUNK_GAP_MS)], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { baseUrl: string }) => resolve({ baseUrl: message.baseUrl, child }));
    child.once('exit', (code) => reject(new Error(`the stand-in provider exited (${code}) before listening`)));
  });
}

/**
 * Asks for every node of the tree, as a fully expanded view would, adding each call's cost to
 * `slowest`. Past runs are not expanded: theirs would be the server's time (reading a record), not
 * the extension host's. A live run's children need no await, so each call's cost is its own work.
 */
async function walk(tree: RunsTree, slowest: HandlerCost, node?: RunsNode): Promise<number> {
  let nodes = 0;
  for (const child of await measured(slowest, () => tree.getChildren(node))) {
    measured(slowest, () => tree.getTreeItem(child));
    nodes += 1 + (child.kind !== 'run' || child.view ? await walk(tree, slowest, child) : 0);
  }
  return nodes;
}

/** Within budget: by the thread's CPU time where Node measures it, else by the wall clock. */
const withinBudget = (cost: HandlerCost) => (cost.cpuMs ?? cost.wallMs) <= HANDLER_BUDGET_MS;

describe('The extension host during a 64-subtask run', () => {
  let api: ElectrictownApi;
  let standIn: ChildProcess;

  before(async () => {
    api = await vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown')!.activate();
    const { baseUrl, child } = await forkStandIn();
    standIn = child;
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const config = `providers:\n  standin: { type: openai, base_url: "${baseUrl}", auth_type: none }\ndefaults:\n  model: standin/stand-in\n  log_dir: logs\n`;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'big', 'electrictown.yaml'), Buffer.from(config));
    await until('the language client to run', () => api.server.languageClient);
    await vscode.commands.executeCommand('electrictown.runs.focus');
  });

  after(() => standIn.kill());

  it('applies every batch and redraws the tree within 10 ms, with redraws coalesced', async () => {
    let batches = 0;
    let events = 0;
    let refreshes = 0;
    const treeCalls = noCost();
    const redraws: Promise<number>[] = [];
    const subscriptions = [
      api.runs.onDidApplyEvents(({ events: batch }) => {
        batches++;
        events += batch.length;
      }),
      api.runs.onDidChange(() => {
        refreshes++;
        redraws.push(walk(api.runsTree, treeCalls));
      }),
    ];
    api.runs.slowestBatch = noCost();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    let view: RunView;
    try {
      view = await vscode.commands.executeCommand<RunView>('electrictown.runTask', { task: `Write ${SUBTASKS} parts`, configPath: 'big/electrictown.yaml', outputDir: 'big/out', workers: 8, iterate: false, maxSubtasks: SUBTASKS });
    } finally {
      delay.disable();
    }
    const elapsedMs = performance.now() - started;
    const nodes = await Promise.all(redraws);
    for (const subscription of subscriptions) subscription.dispose();

    assert.equal(view.status, 'succeeded', view.error);
    assert.equal(view.subtasks.length, SUBTASKS);
    assert.equal(api.changes.get(view.id)?.files.length, SUBTASKS);
    const runNode = (await api.runsTree.getChildren()).find((node) => node.kind === 'run' && node.id === view.id)!;
    const workers = (await api.runsTree.getChildren(runNode)).find((node) => node.kind === 'phase' && node.name === 'workers')!;
    assert.equal((await api.runsTree.getChildren(workers)).length, SUBTASKS);

    const figures = {
      subtasks: SUBTASKS,
      elapsedMs: Math.round(elapsedMs),
      events,
      batches,
      treeRefreshes: refreshes,
      treeNodes: Math.max(...nodes),
      slowestBatch: rounded(api.runs.slowestBatch),
      slowestTreeCall: rounded(treeCalls),
      eventLoopDelayMaxMs: round(delay.max / 1e6),
      eventLoopDelayP99Ms: round(delay.percentile(99) / 1e6),
    };
    const results = path.join(vscode.extensions.getExtension('electrictown.electrictown')!.extensionPath, 'test-results', 'editor');
    mkdirSync(results, { recursive: true });
    writeFileSync(path.join(results, 'responsiveness.json'), JSON.stringify(figures, null, 2));
    console.log(`64-subtask run: ${JSON.stringify(figures)}`);

    // Coalesced: far fewer redraws than batches, and no more than one per interval (plus the ends).
    assert.ok(refreshes < batches, `refreshes ${refreshes}, batches ${batches}`);
    assert.ok(refreshes <= Math.ceil(elapsedMs / REFRESH_INTERVAL_MS) + 2, `refreshes ${refreshes} in ${Math.round(elapsedMs)} ms`);
    assert.ok(withinBudget(api.runs.slowestBatch), `slowest batch: ${JSON.stringify(figures.slowestBatch)}`);
    assert.ok(withinBudget(treeCalls), `slowest tree call: ${JSON.stringify(figures.slowestTreeCall)}`);
    await vscode.commands.executeCommand('electrictown.changes.discardRun', view.id);
  });
});

const round = (ms: number) => Math.round(ms * 100) / 100;
const rounded = (cost: HandlerCost) => ({ wallMs: round(cost.wallMs), cpuMs: cost.cpuMs === undefined ? null : round(cost.cpuMs) });
