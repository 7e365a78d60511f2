// The run view in a real VS Code, against a stand-in provider: opened on a run while its workers
// stream, it shows the run, the plan and the streamed text, then every answer and the witness's score
// once they are kept, and the run's end; when the server stops and the run folder is deleted it says
// so and keeps what it showed. What the view rendered is read from what its script reports.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ElectrictownApi } from '../../client/src/extension';
import type { RunView } from '../../client/src/runs/run-view';
import { until } from './wait';
import { StandIn } from './stand-in';

const answers = {
  plan: '1. Write notes.md with a title and a line.\n2. Write todo.md with one item. [depends: 1]',
  work: (subtask: string) => (subtask.includes('todo.md') ? '===FILE: todo.md===\n- [ ] milk\n===ENDFILE===' : `===FILE: notes.md===\n# Notes\n\n${'Things to remember. '.repeat(20)}\n===ENDFILE===`),
  review: () => 'SCORE: 8\nREASON: Clear enough.',
  fix: 'Nothing to fix.',
  summary: 'Wrote the notes and the list.',
};

describe('The run view', () => {
  let api: ElectrictownApi;
  let standIn: StandIn;
  const settings = () => vscode.workspace.getConfiguration('electrictown');

  before(async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    api = await extension.activate();
    standIn = await StandIn.start(answers);
    // Workers' answers stream for about two seconds each: the view is open meanwhile.
    standIn.streamChunks = 30;
    standIn.chunkGapMs = 60;
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const config = `providers:\n  standin: { type: openai, base_url: "${standIn.baseUrl}", auth_type: none }\nmodels:\n  planner: { provider: standin, model: planner-1, pricing: { input: 2, output: 8 } }\n  coder: { provider: standin, model: coder-1, pricing: { input: 1, output: 4 } }\nroles:\n  mayor: { model: planner }\n  polecat: { model: coder }\n  witness: { model: planner }\n  refinery: { model: planner }\ndefaults:\n  log_dir: logs\n`;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'view', 'electrictown.yaml'), Buffer.from(config));
    await settings().update('configPath', 'view/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    await api.server.restart();
    await until('the language client to run', () => api.server.languageClient);
  });

  after(async () => {
    standIn.close();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await settings().update('configPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('opens on a streaming run, follows it to its end, and says so when the server stops and the folder is gone', async () => {
    // The first worker's answer stops halfway until the view has shown it: however slow the editor is
    // to open the view, it opens on a worker mid-answer.
    let release!: () => void;
    standIn.streamGate = new Promise((resolve) => (release = resolve));
    const finished = vscode.commands.executeCommand<RunView>('electrictown.runTask', { task: 'Write notes and a list', outputDir: 'view/out', workers: 1, iterate: false });
    let streaming;
    let live;
    try {
      const running = await until('a worker to stream', () => api.runs.running().find((view) => view.subtasks.some((subtask) => subtask.status === 'running')));
      live = running;
      await vscode.commands.executeCommand('electrictown.openRunView', { runId: running.id, title: running.task, subtask: 1 });
      streaming = await until('the view to show the run, the plan and streamed text', () => {
        const state = api.transcripts.rendered(running.id);
        return state && state.status === 'running' && state.entries >= 2 && Object.values(state.streaming).some((chars) => chars > 0) ? state : undefined;
      });
    } finally {
      standIn.streamGate = undefined;
      release();
    }
    assert.ok(streaming.calls >= 1, 'the mayor’s plan call');

    const view = await finished;
    assert.equal(view.status, 'succeeded');
    // decompose, coordinate, two workers, two reviews, synthesize, polish.
    const ended = await until('the view to show the whole run', () => {
      const state = api.transcripts.rendered(live.id);
      return state && state.status === 'succeeded' && state.calls >= 8 && Object.keys(state.streaming).length === 0 ? state : undefined;
    });
    assert.equal(ended.more, false);

    // Opening it again reveals the one tab, scrolled to the subtask's answer.
    await vscode.commands.executeCommand('electrictown.openRunView', { runId: live.id, title: live.task, subtask: 2 });
    await until('the view to scroll to subtask 2', () => (api.transcripts.rendered(live.id)?.revealed.startsWith('call-') ? true : undefined));
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('electrictown.transcript'));
    assert.equal(tabs.length, 1);

    // The folder deleted while the server is down: the view says both, and keeps what it showed.
    const restarting = api.server.restart();
    rmSync(view.folder, { recursive: true, force: true });
    await restarting;
    const gone = await until('the view to say the folder is gone', () => {
      const state = api.transcripts.rendered(live.id);
      return state && /folder is gone/.test(state.notice) ? state : undefined;
    });
    assert.equal(gone.entries, ended.entries);
  });
});
