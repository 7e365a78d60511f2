// The editor experience end to end in a real VS Code, against a stand-in provider: Run Task fills the
// Runs tree, the Changes view lists the proposed files, Accept writes them as one edit that one Undo
// takes back, Cancel stops a run, a killed server interrupts one, Resume continues one, the witness's
// findings are diagnostics, the Costs totals equal the ledger, and an API key from SecretStorage
// reaches the provider without landing on disk.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ElectrictownApi } from '../../client/src/extension';
import type { RunsNode } from '../../client/src/runs/runs-tree';
import type { RunView } from '../../client/src/runs/run-view';
import { diagnosticsOf, until } from './wait';
import { StandIn } from './stand-in';

const NOTES = '# Notes\n\nThings to remember.\n';
const TODO = '- [ ] milk\n';
const SECRET = 'stand-in-key-for-the-editor-test';

const answers = {
  plan: '1. Write notes.md with a title and a line.\n2. Write todo.md with one item.',
  work: (subtask: string) => (subtask.includes('todo.md') ? `===FILE: todo.md===\n${TODO}===ENDFILE===` : `===FILE: notes.md===\n${NOTES}===ENDFILE===`),
  review: (reviewed: string) => (reviewed.includes('notes.md') ? 'SCORE: 7\nREASON: Fine, but vague.\nFINDINGS:\n- notes.md:3: warning: say which things' : 'SCORE: 9\nREASON: Fine.'),
  fix: 'Nothing to fix.',
  summary: 'Wrote the notes.',
};

function filesUnder(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('The editor experience', () => {
  let api: ElectrictownApi;
  let standIn: StandIn;
  let folder: vscode.Uri;
  const settings = () => vscode.workspace.getConfiguration('electrictown');

  before(async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    api = await extension.activate();
    standIn = await StandIn.start(answers);
    folder = vscode.workspace.workspaceFolders![0].uri;
    // The key is read from ${ET_STAND_IN_KEY}, which only SecretStorage provides.
    const config = `providers:\n  standin: { type: openai, base_url: "${standIn.baseUrl}", api_key: "\${ET_STAND_IN_KEY}" }\nmodels:\n  priced: { provider: standin, model: priced-1, pricing: { input: 2, output: 8 } }\n  free: { provider: standin, model: free-1 }\nroles:\n  mayor: { model: priced }\n  polecat: { model: free }\n  witness: { model: priced }\n  refinery: { model: priced }\ndefaults:\n  log_dir: logs\n`;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'exp', 'electrictown.yaml'), Buffer.from(config));
    await settings().update('configPath', 'exp/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    await api.apiKeys.set('ET_STAND_IN_KEY', SECRET);
    await api.server.restart();
    await until('the language client to run', () => api.server.languageClient);
  });

  after(async () => {
    standIn.close();
    await api.apiKeys.delete('ET_STAND_IN_KEY');
    await settings().update('configPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('Run Task: the Runs tree fills, Changes lists the files, Accept writes them, one Undo removes them', async () => {
    const view = await vscode.commands.executeCommand<RunView>('electrictown.runTask', { task: 'Write notes', outputDir: 'exp/out', workers: 2, iterate: false });
    assert.equal(view?.status, 'succeeded', view?.error);

    // The key came from SecretStorage through the server's environment.
    assert.ok(standIn.authorizations.length > 0 && standIn.authorizations.every((header) => header === `Bearer ${SECRET}`), JSON.stringify(standIn.authorizations));

    // Runs: the run, its phases, the workers' subtasks with model, tokens and cost.
    const runNode = await until('the run in the Runs tree', async () => (await api.runsTree.getChildren()).find((node) => node.kind === 'run' && node.id === view.id));
    const children = await api.runsTree.getChildren(runNode);
    const phaseNames = children.filter((node): node is Extract<RunsNode, { kind: 'phase' }> => node.kind === 'phase').map((node) => node.name);
    assert.ok(['decompose', 'workers', 'write'].every((phase) => phaseNames.includes(phase as never)), phaseNames.join(','));
    const workers = children.find((node) => node.kind === 'phase' && node.name === 'workers')!;
    const subtasks = await api.runsTree.getChildren(workers);
    assert.equal(subtasks.length, 2);
    const first = api.runsTree.getTreeItem(subtasks[0]);
    // The worker's call is unpriced; the witness's review of it is priced: shown apart.
    assert.match(String(first.description), /^free · work 52 tok unpriced · review 52 tok \$0\.\d+ · \d+/);
    assert.match(String(api.runsTree.getTreeItem(runNode).description), /^succeeded · \$0\.\d+ \+ unpriced/);

    // Changes: both files proposed, nothing written yet; the witness's finding is in Problems, on the proposal.
    const set = api.changes.get(view.id);
    assert.deepEqual(set?.files.map((file) => [file.path, file.state, file.existed]).sort(), [['notes.md', 'pending', false], ['todo.md', 'pending', false]]);
    const notes = vscode.Uri.joinPath(folder, 'exp', 'out', 'notes.md');
    const todo = vscode.Uri.joinPath(folder, 'exp', 'out', 'todo.md');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(notes)));
    // On the proposal as the diff shows it (its own URI), not on its staged file in the run folder.
    const proposedNotes = api.proposalUri(view.id, 'notes.md')!;
    assert.equal(proposedNotes.scheme, 'electrictown-proposal');
    const diagnostics = await diagnosticsOf(proposedNotes, (found) => found.length > 0);
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.source, diagnostic.range.start.line, diagnostic.message]), [['electrictown witness', 2, 'say which things']]);
    assert.deepEqual(vscode.languages.getDiagnostics(notes), []);
    assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(set!.files.find((file) => file.path === 'notes.md')!.staged)), []);

    // The diff opens against an empty document for a new file.
    await vscode.commands.executeCommand('electrictown.changes.diff', { runId: view.id, file: set!.files[0] });
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.equal((tab.input as vscode.TabInputTextDiff).original.scheme, 'electrictown-empty');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Accept: one edit for the run; the files are on disk.
    assert.equal(await vscode.commands.executeCommand('electrictown.changes.acceptRun', view.id), true);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(notes)), NOTES);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(todo)), TODO);
    assert.equal(api.changes.pending().length, 0);
    // The finding moved with the accept: on the file now, not on the proposal.
    await diagnosticsOf(notes, (found) => found.length === 1 && found[0].message === 'say which things');
    await diagnosticsOf(proposedNotes, (found) => found.length === 0);

    // One Undo, in one of the files, takes both back; the run is back in Changes, its finding on the proposal.
    await vscode.window.showTextDocument(notes);
    await vscode.commands.executeCommand('undo');
    await until('both files to be gone', async () => {
      const gone = await Promise.all([notes, todo].map((uri) => Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => false, () => true)));
      return gone.every(Boolean) ? true : undefined;
    });
    await until('the run back in Changes', () => (api.changes.get(view.id)?.files.every((file) => file.state === 'pending') ? true : undefined));
    await diagnosticsOf(proposedNotes, (found) => found.length === 1);
    await diagnosticsOf(notes, (found) => found.length === 0);
    assert.equal(await vscode.commands.executeCommand('electrictown.changes.discardRun', view.id), true);

    // Nothing the run left behind holds the key.
    const record = JSON.parse(readFileSync(path.join(view.folder, 'run.json'), 'utf8')) as { folder: string };
    for (const file of [...filesUnder(record.folder), path.join(path.dirname(record.folder), '..', 'logs', 'ledger.jsonl')].filter((file) => statSync(file, { throwIfNoEntry: false })?.isFile())) {
      assert.doesNotMatch(readFileSync(file, 'utf8'), new RegExp(SECRET), file);
    }
  });

  it('Run Task on Selection in an existing file: the run is shown the file and the lines, the worker edits it, and the proposal is a diff against the file as it is', async () => {
    const existing = '# Plans\n\n- write the report\n- call the bank\n\nDone: nothing yet.\n';
    const plans = vscode.Uri.joinPath(folder, 'exp', 'project', 'plans.md');
    await vscode.workspace.fs.writeFile(plans, Buffer.from(existing));
    const before = standIn.answers;
    standIn.answers = {
      ...before,
      plan: '1. Turn the selected items into checkboxes in plans.md [files: plans.md]',
      work: () => 'Here are the checkboxes.\n\nplans.md\n```markdown\n<<<<<<< SEARCH\n- write the report\n- call the bank\n=======\n- [ ] write the report\n- [ ] call the bank\n>>>>>>> REPLACE\n```\n',
      review: () => 'SCORE: 9\nREASON: Fine.\nFINDINGS: none',
    };
    const asked = standIn.prompts.length;
    try {
      const editor = await vscode.window.showTextDocument(plans);
      editor.selection = new vscode.Selection(2, 0, 4, 0);
      const view = await vscode.commands.executeCommand<RunView>('electrictown.runTaskOnSelection', { task: 'Make these checkboxes', outputDir: 'exp/project', workers: 1, iterate: false });
      assert.equal(view?.status, 'succeeded', view?.error);
      const prompts = standIn.prompts.slice(asked);
      const plan = prompts.find((prompt) => prompt.system.includes('Split the task'));
      assert.match(plan?.user ?? '', /The user selected lines 3-4 of plans\.md; the task is about them:\n```markdown\n- write the report\n- call the bank\n```/);
      const work = prompts.find((prompt) => prompt.system.includes('doing one subtask'));
      assert.ok(work?.user.includes(`plans.md\n\`\`\`markdown\n${existing}\`\`\``), 'the worker was shown plans.md as it is');

      // The proposal keeps every other line; the file on disk is untouched until it is accepted.
      const file = api.changes.get(view.id)?.files.find((candidate) => candidate.path === 'plans.md');
      assert.ok(file && file.existed && file.state === 'pending');
      assert.equal(readFileSync(file.staged, 'utf8'), existing.replace('- write the report\n- call the bank', '- [ ] write the report\n- [ ] call the bank'));
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(plans)), existing);
      await vscode.commands.executeCommand('electrictown.changes.diff', { runId: view.id, file });
      const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
      assert.equal((tab.input as vscode.TabInputTextDiff).original.toString(), plans.toString(), 'the diff is against the file as it is');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      assert.equal(await vscode.commands.executeCommand('electrictown.changes.discardRun', view.id), true);
    } finally {
      standIn.answers = before;
    }
  });

  it('the Costs totals equal the ledger, unpriced calls counted apart', async () => {
    const snapshot = await api.costs();
    assert.ok(snapshot);
    const entries = readFileSync(snapshot.ledger, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { usd: number | null });
    const all = snapshot.periods.find((period) => period.key === 'all')!;
    assert.equal(all.total.attempts, entries.length);
    assert.equal(all.total.unpricedAttempts, entries.filter((entry) => entry.usd === null).length);
    assert.ok(all.total.unpricedAttempts > 0);
    assert.ok(Math.abs(all.total.usd - entries.reduce((sum, entry) => sum + (entry.usd ?? 0), 0)) < 1e-12);
    const today = snapshot.periods.find((period) => period.key === 'today')!;
    assert.equal(today.total.attempts, entries.length);
    assert.deepEqual(all.by.model.map((row) => row.key).sort(), ['free', 'priced']);
    // The status bar shows today's spend, flagged as incomplete.
    await until('the status bar to show the spend', () => (/\+ unpriced/.test(api.status.text) ? true : undefined));
  });

  it('Cancel Run stops a running run; the record says cancelled and nothing is proposed', async () => {
    standIn.holdWorkers = true;
    try {
      const finished = vscode.commands.executeCommand<RunView>('electrictown.runTask', { task: 'Write notes again', outputDir: 'exp/out', workers: 2, iterate: false });
      await until('a worker’s call to be held', () => (standIn.heldCalls > 0 ? true : undefined));
      assert.equal(api.runs.running().length, 1);
      assert.equal(await vscode.commands.executeCommand('electrictown.cancelRun'), true);
      const view = await finished;
      assert.equal(view.status, 'cancelled');
      assert.equal(api.changes.get(view.id), undefined);
      assert.equal(JSON.parse(readFileSync(path.join(view.folder, 'run.json'), 'utf8')).status, 'cancelled');
    } finally {
      standIn.holdWorkers = false;
    }
  });

  it('a server killed mid-run: the run ends as interrupted, and the server comes back', async () => {
    standIn.holdWorkers = true;
    const heldBefore = standIn.heldCalls;
    try {
      const finished = vscode.commands.executeCommand<RunView>('electrictown.runTask', { task: 'Write notes, then lose the server', outputDir: 'exp/killed', workers: 2, iterate: false });
      const live = await until('a worker’s call to be held', () => (standIn.heldCalls > heldBefore ? api.runs.running()[0] : undefined));
      const record = await api.server.connection!.getRun({ runId: live.id });
      assert.ok(record.pid);
      process.kill(record.pid, 'SIGKILL');
      const view = await finished;
      assert.deepEqual([view.id, view.interrupted], [live.id, true]);
      assert.equal(api.runs.running().length, 0);
      // The language client starts the server again; the run is listed as interrupted, resumable.
      await until('the server to be back', () => api.server.languageClient);
      const node = await until('the run listed as interrupted', async () => (await api.runsTree.getChildren()).find((candidate) => candidate.kind === 'run' && candidate.id === live.id && candidate.interrupted));
      assert.equal(api.runsTree.getTreeItem(node).contextValue, 'run-resumable');
    } finally {
      standIn.holdWorkers = false;
    }
  });

  it('Resume Run continues a cancelled run where it stopped: the finished subtask is not asked again', async () => {
    standIn.holdWorkers = (subtask) => subtask.includes('todo.md');
    const callsBefore = standIn.workerCalls.length;
    const heldBefore = standIn.heldCalls;
    let runId: string;
    try {
      const first = vscode.commands.executeCommand<RunView>('electrictown.runTask', { task: 'Write notes, then resume', outputDir: 'exp/resumed', workers: 2, iterate: false });
      const live = await until('notes.md’s subtask done and todo.md’s held', () => {
        const view = api.runs.running()[0];
        return view?.subtasks.find((subtask) => subtask.text.includes('notes.md'))?.status === 'succeeded' && standIn.heldCalls > heldBefore ? view : undefined;
      });
      // Its answer is kept in the run folder: what the resumed run picks up instead of asking again.
      await until('the finished answer to be kept', () => (readdirSync(path.join(live.folder, 'answers'), { withFileTypes: true }).length > 0 ? true : undefined));
      assert.equal(await vscode.commands.executeCommand('electrictown.cancelRun', live.id), true);
      assert.equal((await first).status, 'cancelled');
      runId = live.id;
    } finally {
      standIn.holdWorkers = false;
    }

    const resumed = await vscode.commands.executeCommand<RunView>('electrictown.resumeRun', runId);
    assert.equal(resumed?.status, 'succeeded', resumed?.error);
    assert.equal(resumed.id, runId);
    const asked = standIn.workerCalls.slice(callsBefore).map((subtask) => (subtask.includes('todo.md') ? 'todo' : 'notes'));
    assert.deepEqual(asked.sort(), ['notes', 'todo', 'todo']);
    // The kept file and the new one both wait for review, and the Runs tree shows the run succeeded.
    assert.deepEqual(api.changes.get(runId)?.files.map((file) => [file.path, file.state]).sort(), [['notes.md', 'pending'], ['todo.md', 'pending']]);
    const runNode = await until('the resumed run in the Runs tree', async () => (await api.runsTree.getChildren()).find((node) => node.kind === 'run' && node.id === runId));
    assert.match(String(api.runsTree.getTreeItem(runNode).description), /^succeeded/);
    await vscode.commands.executeCommand('electrictown.changes.discardRun', runId);
  });

  it('Review File with Witness puts the findings on the file in Problems', async () => {
    const file = vscode.Uri.joinPath(folder, 'exp', 'notes.md');
    await vscode.workspace.fs.writeFile(file, Buffer.from(NOTES));
    await vscode.window.showTextDocument(file);
    const result = await vscode.commands.executeCommand<{ score: number; findings: number }>('electrictown.reviewFile');
    assert.deepEqual([result.score, result.findings], [7, 1]);
    const diagnostics = await diagnosticsOf(file, (found) => found.length > 0);
    assert.equal(diagnostics[0].message, 'say which things');
  });

  it('hides the server’s commands from the palette while the server is stopped', async () => {
    const manifest = vscode.extensions.getExtension('electrictown.electrictown')!.packageJSON as { contributes: { menus: { commandPalette: { command: string; when: string }[] } } };
    const hidden = manifest.contributes.menus.commandPalette.filter((entry) => entry.when === 'electrictown.serverRunning').map((entry) => entry.command);
    assert.ok(['electrictown.runTask', 'electrictown.cancelRun', 'electrictown.resumeRun', 'electrictown.showModels', 'electrictown.reviewFile'].every((command) => hidden.includes(command)));
  });

  it('offers et mcp to VS Code’s agents as an MCP server, and the definition starts a working one', async function () {
    // VS Code 1.101 and later take the provider; 1.100's API is another, and the extension goes without.
    const [major, minor] = vscode.version.split('.').map(Number);
    if (major === 1 && minor < 101) {
      assert.equal(api.mcpRegistered, false);
      console.log(`      skipped: VS Code ${vscode.version} has no MCP server definition provider API (the extension works without it)`);
      this.skip();
    }
    assert.equal(api.mcpRegistered, true);
    const server = api.mcpServer();
    assert.ok(server, 'a trusted workspace with a folder gets the definition');
    assert.deepEqual(server.args.slice(-3), ['mcp', '--workspace', folder.fsPath]);
    // The definition's command, as VS Code would start it: an MCP initialize over stdio, then the tools.
    const { spawn } = await import('node:child_process');
    const child = spawn(server.command, server.args, { env: { ...process.env, ...server.env }, cwd: folder.fsPath });
    try {
      let buffer = '';
      const replies: { id?: number; result?: { serverInfo?: { name: string }; tools?: { name: string }[] } }[] = [];
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
          replies.push(JSON.parse(buffer.slice(0, newline)));
          buffer = buffer.slice(newline + 1);
        }
      });
      const send = (message: object) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
      send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'in-editor test', version: '1' } } });
      const initialized = await until('the MCP server to answer initialize', () => replies.find((reply) => reply.id === 1), 20_000);
      assert.equal(initialized.result?.serverInfo?.name, 'electrictown');
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/list', params: {} });
      const tools = await until('the tools', () => replies.find((reply) => reply.id === 2), 20_000);
      assert.ok(tools.result?.tools?.some((tool) => tool.name === 'run'), JSON.stringify(tools));
    } finally {
      child.kill();
    }
  });
});
