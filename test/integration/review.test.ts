// Review you can trust, in a real VS Code against a stand-in provider: the witness's findings on the
// proposals (a new file and a modified one), the refinery's fix on the proposal, accept and Undo moving
// them; two runs proposing one file (merged, or picked); a file changed after it was proposed; one
// progress notification per run, spend that moves while a run runs, a resumed run shown running, runs
// by start time.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { ChangesTree } from '../../client/src/changes/changes-tree';
import type { ElectrictownApi } from '../../client/src/extension';
import type { RunsNode } from '../../client/src/runs/runs-tree';
import type { RunView } from '../../client/src/runs/run-view';
import { diagnosticsOf, until } from './wait';
import { StandIn, type StandInAnswers } from './stand-in';

const PLANS = '# Plans\n\n- write the report\n- call the bank\n';
const PLANS_PROPOSED = '# Plans\n\n- write the report\n- call the bank\n- pay the rent\n';
const NOTES = '# Notes\n\nThings to remember.\n';
const NOTES_FIXED = '# Notes\n\nRemember the milk.\n';
const SHARED = 'one\ntwo\nthree\nfour\nfive\nsix\n';

const edit = (file: string, search: string, replace: string) => `${file}\n\`\`\`\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\`\n`;

const baseAnswers: StandInAnswers = {
  plan: '1. Add a line to plans.md [files: plans.md]\n2. Write notes.md with a title and a line.',
  work: (subtask) => (subtask.includes('plans.md') ? edit('plans.md', '- call the bank\n', '- call the bank\n- pay the rent\n') : `===FILE: notes.md===\n${NOTES}===ENDFILE===`),
  review: (reviewed) => (reviewed.includes('pay the rent') ? 'SCORE: 8\nREASON: Fine.\nFINDINGS:\n- plans.md:1: warning: name the owner' : 'SCORE: 7\nREASON: Vague.\nFINDINGS:\n- notes.md:3: warning: say which things'),
  fix: `===FILE: notes.md===\n${NOTES_FIXED}===ENDFILE===`,
  summary: 'Done.',
};

type Loose = (...args: unknown[]) => unknown;

/** Replaces a `vscode.window` function for one test; `restore` puts the real one back. */
function stub(name: string, replacement: (original: Loose) => Loose): { restore(): void } {
  const window = vscode.window as unknown as Record<string, Loose>;
  const original = window[name];
  window[name] = replacement(original.bind(vscode.window));
  return { restore: () => (window[name] = original) };
}
/** Records each message shown with `name`, and shows it as usual. */
const recording = (name: string, shown: string[]) => stub(name, (original) => (message, ...items) => (shown.push(String(message)), original(message, ...items)));

describe('Review in the editor', () => {
  let api: ElectrictownApi;
  let standIn: StandIn;
  let folder: vscode.Uri;
  const settings = () => vscode.workspace.getConfiguration('electrictown');
  const text = async (uri: vscode.Uri) => new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  const exists = (uri: vscode.Uri) => Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => true, () => false);
  const project = (name: string) => vscode.Uri.joinPath(folder, 'rv', 'project', name);
  const run = (task: string) => vscode.commands.executeCommand<RunView>('electrictown.runTask', { task, outputDir: 'rv/project', workers: 2, iterate: false });
  const staged = (runId: string, file: string) => vscode.Uri.file(api.changes.get(runId)!.files.find((candidate) => candidate.path === file)!.staged);
  /** Where the diff shows a run's proposal of a file (its right side). */
  const proposalOf = (runId: string, file: string) => api.proposalUri(runId, file)!;
  const diffTabOf = (proposal: vscode.Uri) => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal.toString());
  /** Puts the cursor of the diff's proposal side on a line. */
  const cursorAt = (proposal: vscode.Uri, line: number) => {
    const editor = vscode.window.visibleTextEditors.find((candidate) => candidate.document.uri.toString() === proposal.toString());
    assert.ok(editor, 'the proposal side of the diff is shown');
    editor.selection = new vscode.Selection(line, 0, line, 0);
  };

  before(async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    api = await extension.activate();
    standIn = await StandIn.start(baseAnswers);
    folder = vscode.workspace.workspaceFolders![0].uri;
    // The mayor's model is priced, so spending shows while the workers are still at work.
    const config = `providers:\n  standin: { type: openai, base_url: "${standIn.baseUrl}", auth_type: none }\nmodels:\n  priced: { provider: standin, model: priced-1, pricing: { input: 2000, output: 8000 } }\n  free: { provider: standin, model: free-1 }\nroles:\n  mayor: { model: priced }\n  polecat: { model: free }\n  witness: { model: free }\n  refinery: { model: free }\ndefaults:\n  log_dir: logs\n`;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'rv', 'electrictown.yaml'), Buffer.from(config));
    await settings().update('configPath', 'rv/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    await api.server.restart();
    await until('the language client to run', () => api.server.languageClient);
  });

  after(async () => {
    standIn.close();
    await settings().update('configPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  afterEach(async () => {
    standIn.answers = baseAnswers;
    standIn.holdWorkers = false;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('electrictown.changes.discardAll');
  });

  it('puts the findings on the proposals, fixes a proposal with the refinery, and moves the findings on accept and back on Undo', async () => {
    await vscode.workspace.fs.writeFile(project('plans.md'), Buffer.from(PLANS));
    const view = await run('Plan the week');
    assert.equal(view?.status, 'succeeded', view?.error);
    const proposedPlans = proposalOf(view.id, 'plans.md');
    const proposedNotes = proposalOf(view.id, 'notes.md');
    const stagedNotes = staged(view.id, 'notes.md');

    // On the proposals (the diff's right side, at their own URIs), not on their staged files in the run
    // folder, nor on the old plans.md, nor on a notes.md that does not exist.
    assert.deepEqual((await diagnosticsOf(proposedPlans, (found) => found.length > 0)).map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]), [[0, 'name the owner']]);
    assert.deepEqual((await diagnosticsOf(proposedNotes, (found) => found.length > 0)).map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]), [[2, 'say which things']]);
    assert.deepEqual([vscode.languages.getDiagnostics(project('plans.md')), vscode.languages.getDiagnostics(project('notes.md'))], [[], []]);
    assert.deepEqual([vscode.languages.getDiagnostics(staged(view.id, 'plans.md')), vscode.languages.getDiagnostics(stagedNotes)], [[], []]);

    // "Ask refinery to fix" on the proposal, as from the diff: with progress, the proposal changes (and is
    // saved in the run folder), the project does not, and the fixed finding is gone.
    const shown: string[] = [];
    const progress: string[] = [];
    const stubs = [recording('showInformationMessage', shown), recording('showWarningMessage', shown), stub('withProgress', (original) => (options, task) => (progress.push((options as vscode.ProgressOptions).title ?? ''), original(options, task)))];
    try {
      await vscode.commands.executeCommand('electrictown.changes.diff', { runId: view.id, file: api.changes.get(view.id)!.files.find((file) => file.path === 'notes.md') });
      // The user edits the proposal in the diff (unsaved); the refinery is shown that text.
      const proposal = await vscode.workspace.openTextDocument(proposedNotes);
      const userEdit = new vscode.WorkspaceEdit();
      userEdit.insert(proposedNotes, new vscode.Position(3, 0), 'A line of my own.\n');
      assert.equal(await vscode.workspace.applyEdit(userEdit), true);
      assert.equal(proposal.isDirty, true);
      const asked = standIn.prompts.length;
      const [finding] = vscode.languages.getDiagnostics(proposedNotes);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', proposedNotes, finding.range);
      const fix = actions.find((action) => action.title === 'Ask refinery to fix: say which things');
      assert.ok(fix?.command, JSON.stringify(actions.map((action) => action.title)));
      const outcome = await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
      assert.deepEqual(outcome, { applied: true, outcome: 'fixed', message: 'fixed by free (in the proposal)' });
      assert.ok(progress.includes('Electrictown: the refinery is fixing “say which things”…'), JSON.stringify(progress));
      assert.ok(standIn.prompts.slice(asked).some((prompt) => prompt.system.includes('fixing a teammate') && prompt.user.includes('A line of my own.')), 'the refinery saw the user’s edit');
      assert.equal(readFileSync(stagedNotes.fsPath, 'utf8'), NOTES_FIXED);
      // The diff's proposal side is what changed (saved), not a second copy of the staged file.
      assert.deepEqual([proposal.getText(), proposal.isDirty], [NOTES_FIXED, false]);
      assert.equal(vscode.workspace.textDocuments.some((document) => document.uri.scheme === 'file' && document.uri.fsPath === stagedNotes.fsPath), false);
      assert.equal(await exists(project('notes.md')), false, 'the project is untouched');
      await diagnosticsOf(proposedNotes, (found) => found.length === 0);

      // A refinery that gives the file back as it was: it says so, and the finding stays.
      standIn.answers = { ...baseAnswers, fix: `===FILE: plans.md===\n${PLANS_PROPOSED}===ENDFILE===` };
      await vscode.workspace.openTextDocument(proposedPlans);
      const [plansFinding] = vscode.languages.getDiagnostics(proposedPlans);
      const plansActions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', proposedPlans, plansFinding.range);
      const plansFix = plansActions.find((action) => action.title === 'Ask refinery to fix: name the owner')!;
      assert.deepEqual(await vscode.commands.executeCommand(plansFix.command!.command, ...(plansFix.command!.arguments ?? [])), { applied: false, outcome: 'unchanged', message: 'the refinery (free) changed nothing' });
      assert.ok(shown.includes('Electrictown: the refinery (free) changed nothing: the finding stays.'), JSON.stringify(shown));
      assert.equal(vscode.languages.getDiagnostics(proposedPlans).length, 1);
    } finally {
      for (const replaced of stubs) replaced.restore();
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // Accept: the project gets the proposals (the fixed one), the findings move to the real files.
    assert.equal(await vscode.commands.executeCommand('electrictown.changes.acceptRun', view.id), true);
    assert.deepEqual([await text(project('plans.md')), await text(project('notes.md'))], [PLANS_PROPOSED, NOTES_FIXED]);
    assert.deepEqual((await diagnosticsOf(project('plans.md'), (found) => found.length > 0)).map((diagnostic) => diagnostic.message), ['name the owner']);
    await diagnosticsOf(proposedPlans, (found) => found.length === 0);
    assert.equal(api.changes.get(view.id), undefined);

    // Undo: both files as they were (on disk too), the run back in Changes, the finding on the proposal again.
    await vscode.window.showTextDocument(project('plans.md'));
    await vscode.commands.executeCommand('undo');
    await until('the run back in Changes', () => (api.changes.get(view.id)?.files.filter((file) => file.state === 'pending').length === 2 ? true : undefined));
    await until('plans.md saved as it was', async () => ((await text(project('plans.md'))) === PLANS ? true : undefined));
    assert.equal(await exists(project('notes.md')), false);
    await diagnosticsOf(proposedPlans, (found) => found.length === 1);
    await diagnosticsOf(project('plans.md'), (found) => found.length === 0);
  });

  it('two runs proposing one file: edits to different lines go in together; overlapping ones ask which version wins', async () => {
    await vscode.workspace.fs.writeFile(project('shared.md'), Buffer.from(SHARED));
    const proposing = (search: string, replace: string): StandInAnswers => ({ ...baseAnswers, plan: '1. Change shared.md [files: shared.md]', work: () => edit('shared.md', search, replace), review: () => 'SCORE: 9\nREASON: Fine.\nFINDINGS: none' });
    standIn.answers = proposing('two\n', 'TWO\n');
    const first = await run('Shout two');
    standIn.answers = proposing('five\n', 'FIVE\n');
    const second = await run('Shout five');
    assert.deepEqual([first.status, second.status], ['succeeded', 'succeeded']);

    const shown: string[] = [];
    let picks = 0;
    let pickWith: (items: readonly { description?: string }[]) => unknown = () => undefined;
    const stubs = [recording('showInformationMessage', shown), recording('showErrorMessage', shown), stub('showQuickPick', () => async (items) => (picks++, pickWith(await (items as Thenable<readonly { description?: string }[]>))))];
    try {
      assert.equal(await vscode.commands.executeCommand('electrictown.changes.acceptAll'), true);
      assert.equal(await text(project('shared.md')), 'one\nTWO\nthree\nfour\nFIVE\nsix\n');
      assert.equal(picks, 0, 'nothing to pick: the edits merged');
      assert.match(shown.at(-1) ?? '', /^Electrictown: accepted shared\.md\. One Undo takes it back\. shared\.md: the edits of runs \w+ and \w+ went in together \(they change different lines\)\.$/);
      assert.ok([first.id, second.id].every((id) => shown.at(-1)?.includes(id)));
      assert.deepEqual([api.changes.get(first.id), api.changes.get(second.id)], [undefined, undefined]);

      // Two runs change the same line: Accept All asks which version goes in.
      standIn.answers = proposing('three\n', 'THREE\n');
      const third = await run('Shout three');
      standIn.answers = proposing('three\n', 'drei\n');
      const fourth = await run('Translate three');
      // Escape: nothing is accepted, nothing changes, both still wait.
      pickWith = () => undefined;
      assert.equal(await vscode.commands.executeCommand('electrictown.changes.acceptAll'), false);
      assert.equal(await text(project('shared.md')), 'one\nTWO\nthree\nfour\nFIVE\nsix\n');
      assert.equal(api.changes.pendingEntries().length, 2);
      // The fourth run's version wins; the third's is discarded.
      pickWith = (items) => items.find((item) => item.description === `run ${fourth.id}`);
      assert.equal(await vscode.commands.executeCommand('electrictown.changes.acceptAll'), true);
      assert.equal(await text(project('shared.md')), 'one\nTWO\ndrei\nfour\nFIVE\nsix\n');
      assert.equal(api.changes.pendingEntries().length, 0);
      assert.match(shown.at(-1) ?? '', new RegExp(`shared\\.md: run ${fourth.id}'s version went in; run ${third.id}'s was discarded\\.$`));
      assert.equal(shown.some((message) => /nothing was changed/.test(message)), false);
    } finally {
      for (const replaced of stubs) replaced.restore();
    }
  });

  it('does not overwrite a file changed after it was proposed: it says so and offers the diff, or to accept anyway; the diff compares with what the run read', async () => {
    await vscode.workspace.fs.writeFile(project('plans.md'), Buffer.from(PLANS));
    standIn.answers = { ...baseAnswers, plan: '1. Add a line to plans.md [files: plans.md]', review: () => 'SCORE: 9\nREASON: Fine.\nFINDINGS: none' };
    const view = await run('Add the rent');
    const mine = `${PLANS}- my own line\n`;
    await vscode.workspace.fs.writeFile(project('plans.md'), Buffer.from(mine));
    // Its diff says so: the left side is the file now, so the user's change shows as a hunk too.
    await vscode.commands.executeCommand('electrictown.changes.diff', { runId: view.id, file: api.changes.get(view.id)!.files[0] });
    const changedTab = await until('the diff open', () => diffTabOf(proposalOf(view.id, 'plans.md')));
    assert.equal(changedTab.label, `plans.md — run ${view.id} "Add the rent" (proposed; the file changed since)`);
    // The other side of the three-way: the file as the run read it (kept in its folder) against the file now.
    const menus = (vscode.extensions.getExtension('electrictown.electrictown')!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus;
    assert.ok(menus['editor/title'].some((entry) => entry.command === 'electrictown.diff.compareWithBase' && /electrictown\.proposalChangedSince/.test(entry.when ?? '')));
    assert.equal(await vscode.commands.executeCommand('electrictown.diff.compareWithBase'), `plans.md — as run ${view.id} read it ↔ now`);
    const comparison = await until('the comparison open', () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.label === `plans.md — as run ${view.id} read it ↔ now`));
    const { original, modified } = comparison.input as vscode.TabInputTextDiff;
    assert.deepEqual([await text(original), await text(modified)], [PLANS, mine]);
    assert.equal(original.fsPath, api.changes.get(view.id)!.files[0].base);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const warned: { message: string; items: string[] }[] = [];
    let answer: string | undefined;
    const replaced = stub('showWarningMessage', () => async (message, ...items) => (warned.push({ message: String(message), items: items.map(String) }), answer));
    try {
      assert.equal(await vscode.commands.executeCommand('electrictown.changes.acceptRun', view.id), false);
      assert.deepEqual(warned.at(-1), { message: `Electrictown: plans.md changed after run ${view.id} proposed it; accepting would overwrite that change, so nothing was accepted.`, items: ['Show Diff', 'Accept Anyway'] });
      assert.equal(await text(project('plans.md')), mine);
      assert.equal(api.changes.get(view.id)?.files[0].state, 'pending');
      // Asked again, the user says to accept anyway.
      answer = 'Accept Anyway';
      await vscode.commands.executeCommand('electrictown.changes.acceptRun', view.id);
      await until('the proposal accepted anyway', () => (api.changes.get(view.id) === undefined ? true : undefined));
      assert.equal(await text(project('plans.md')), PLANS_PROPOSED);
    } finally {
      replaced.restore();
    }

    // A proposal whose staged file is gone (its run folder deleted) is named, and nothing is accepted.
    const gone = await run('Add the rent again');
    const stagedPlans = staged(gone.id, 'plans.md');
    await vscode.workspace.fs.delete(stagedPlans);
    const errors: string[] = [];
    const recorded = recording('showErrorMessage', errors);
    try {
      assert.equal(await vscode.commands.executeCommand('electrictown.changes.acceptRun', gone.id), false);
      assert.deepEqual(errors, [`Electrictown: the proposal of plans.md is gone from run ${gone.id}'s folder (${stagedPlans.fsPath} is missing), so nothing was accepted; discard it.`]);
      assert.equal(await text(project('plans.md')), PLANS_PROPOSED);
    } finally {
      recorded.restore();
    }
  });

  it('continues a finished run with Continue Run: the refinement goes to the worker that wrote the file, editing its pending proposal', async () => {
    await vscode.workspace.fs.writeFile(project('plans.md'), Buffer.from(PLANS));
    await Promise.resolve(vscode.workspace.fs.delete(project('notes.md'))).catch(() => undefined);
    const done = await run('Plans and notes to continue');
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(api.changes.get(done.id)?.files.map((file) => file.path).sort(), ['notes.md', 'plans.md']);
    standIn.answers = { ...baseAnswers, followUp: '1. In notes.md, say to remember the milk. [files: notes.md]', work: (subtask) => (subtask.includes('remember the milk') ? edit('notes.md', 'Things to remember.\n', 'Remember the milk.\n') : baseAnswers.work(subtask)), review: () => 'SCORE: 9\nREASON: Fine.\nFINDINGS: none' };
    const asked = standIn.prompts.length;
    // From the palette: the runs to pick from, then the refinement asked for.
    const picks: string[][] = [];
    const pick = stub('showQuickPick', () => async (items) => {
      const list = (await items) as { id: string; label: string }[];
      picks.push(list.map((item) => item.id));
      return list.find((item) => item.id === done.id);
    });
    const input = stub('showInputBox', () => async () => 'notes.md must say to remember the milk');
    let continued: RunView;
    try {
      continued = await vscode.commands.executeCommand<RunView>('electrictown.continueRun');
    } finally {
      pick.restore();
      input.restore();
    }
    // With one finished run it is taken at once; with several, it was among those offered.
    assert.ok(picks.every((offered) => offered.includes(done.id)), 'the finished run was offered');
    assert.deepEqual([continued.id, continued.status], [done.id, 'succeeded']);
    assert.deepEqual(continued.subtasks.map((subtask) => [subtask.index, subtask.status]), [[1, 'succeeded'], [2, 'succeeded'], [3, 'succeeded']]);
    // The worker of notes.md went on: the refinement came as a later turn of its conversation.
    const workers = standIn.prompts.slice(asked).filter((prompt) => prompt.system.includes('doing one subtask'));
    assert.equal(workers.length, 1);
    assert.match(workers[0].user, /Your subtask \(\d of 2\):\nWrite notes\.md[\s\S]*The user looked at the result and asks for a refinement:\nnotes\.md must say to remember the milk/);
    // Its new proposal replaces the old in Changes; the pending plans.md is proposed again; nothing is on disk yet.
    const set = api.changes.get(done.id);
    assert.deepEqual(set?.files.map((file) => [file.path, file.state]).sort(), [['notes.md', 'pending'], ['plans.md', 'pending']]);
    assert.equal(readFileSync(staged(done.id, 'notes.md').fsPath, 'utf8'), NOTES_FIXED);
    assert.equal(readFileSync(staged(done.id, 'plans.md').fsPath, 'utf8'), PLANS_PROPOSED);
    assert.equal(await exists(project('notes.md')), false);
    // From the Runs view: the finished run's menu offers it.
    const node = (await api.runsTree.getChildren()).find((candidate): candidate is Extract<RunsNode, { kind: 'run' }> => candidate.kind === 'run' && candidate.id === done.id)!;
    assert.equal(api.runsTree.getTreeItem(node).contextValue, 'run-done');
    assert.match(String(api.runsTree.getTreeItem(node).description), /^round 2 · succeeded · /);
    const menus = (vscode.extensions.getExtension('electrictown.electrictown')!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus;
    assert.ok(menus['view/item/context'].some((entry) => entry.command === 'electrictown.continueRun' && /run-\(done\|resumable\)/.test(entry.when ?? '')));
  });

  it('diff: accepts one hunk (followed through Undo and Redo) and discards another from the diff editor, then the file is decided (partly) and its diff closes', async () => {
    await vscode.workspace.fs.writeFile(project('hunks.md'), Buffer.from(SHARED));
    standIn.answers = { ...baseAnswers, plan: '1. Change hunks.md [files: hunks.md]', work: () => edit('hunks.md', SHARED, SHARED.replace('two', 'TWO').replace('five', 'FIVE')), review: () => 'SCORE: 9\nREASON: Fine.\nFINDINGS: none' };
    const view = await run('Shout two and five');
    assert.equal(view.status, 'succeeded', view.error);
    const proposal = proposalOf(view.id, 'hunks.md');
    const stagedHunks = staged(view.id, 'hunks.md');
    await vscode.commands.executeCommand('electrictown.changes.diff', { runId: view.id, file: api.changes.get(view.id)!.files[0] });
    const tab = await until('the diff open', () => diffTabOf(proposal));
    assert.equal(tab.label, `hunks.md — run ${view.id} "Shout two and five" (proposed)`);
    // The right side is the proposal's own URI: its path (what the breadcrumb shows) is the file's, in the workspace.
    const { modified } = tab.input as vscode.TabInputTextDiff;
    assert.deepEqual([modified.scheme, modified.path, modified.query], ['electrictown-proposal', '/rv/project/hunks.md', `run=${view.id}`]);

    // The hunk at the cursor ("TWO") goes into the project file, saved; the proposal keeps "FIVE".
    cursorAt(proposal, 1);
    assert.equal(await vscode.commands.executeCommand('electrictown.diff.acceptHunk'), 'accepted the hunk at line 2 of hunks.md');
    assert.equal(await text(project('hunks.md')), SHARED.replace('two', 'TWO'));
    assert.deepEqual(api.changes.get(view.id)?.files.map((file) => [file.state, file.hunks]), [['pending', { accepted: 1, discarded: 0 }]]);
    // Changes shows how far the file's review went.
    const tree = new ChangesTree(api.changes);
    assert.equal(tree.getTreeItem({ kind: 'file', runId: view.id, file: api.changes.get(view.id)!.files[0] }).description, 'modified · hunks: 1 in, 0 discarded');
    tree.dispose();

    // Undo in the project file takes the hunk out again: followed (counted out, saved), so the file is not
    // "changed since it was proposed", and Redo, or accepting the hunk again, puts it back in.
    await vscode.window.showTextDocument(project('hunks.md'), { viewColumn: vscode.ViewColumn.Beside });
    await vscode.commands.executeCommand('undo');
    await until('the hunk counted out', () => (api.changes.get(view.id)?.files[0].hunks === undefined ? true : undefined));
    await until('hunks.md saved as before the hunk', async () => ((await text(project('hunks.md'))) === SHARED ? true : undefined));
    await vscode.commands.executeCommand('redo');
    await until('the hunk counted in again', () => (api.changes.get(view.id)?.files[0].hunks?.accepted === 1 ? true : undefined));
    await until('hunks.md saved with the hunk', async () => ((await text(project('hunks.md'))) === SHARED.replace('two', 'TWO') ? true : undefined));
    await vscode.commands.executeCommand('undo');
    await until('the hunk counted out again', () => (api.changes.get(view.id)?.files[0].hunks === undefined ? true : undefined));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('electrictown.changes.diff', { runId: view.id, file: api.changes.get(view.id)!.files[0] });
    await until('the diff active', () => (vscode.window.tabGroups.activeTabGroup.activeTab === diffTabOf(proposal) ? true : undefined));
    cursorAt(proposal, 1);
    assert.equal(await vscode.commands.executeCommand('electrictown.diff.acceptHunk'), 'accepted the hunk at line 2 of hunks.md');
    assert.equal(await text(project('hunks.md')), SHARED.replace('two', 'TWO'));

    // "FIVE" discarded: taken out of the proposal; nothing is left between them, so the file is decided.
    cursorAt(proposal, 4);
    assert.equal(await vscode.commands.executeCommand('electrictown.diff.discardHunk'), `Electrictown: hunks.md of run ${view.id} is accepted in part (1 hunk in, 1 discarded).`);
    assert.equal(readFileSync(stagedHunks.fsPath, 'utf8'), SHARED.replace('two', 'TWO'));
    assert.equal(await text(project('hunks.md')), SHARED.replace('two', 'TWO'));
    assert.equal(api.changes.get(view.id), undefined);
    await until('the diff closed', () => (diffTabOf(proposal) ? undefined : true));
    // The run folder says what was applied, and keeps the file as it was before the run.
    await until('review.json saying accepted partly', () => {
      try {
        return JSON.parse(readFileSync(`${view.folder}/review.json`, 'utf8')).files['hunks.md']?.partly === true ? true : undefined;
      } catch {
        return undefined;
      }
    });
    assert.equal(readFileSync(`${view.folder}/checkpoint/files/hunks.md`, 'utf8'), SHARED);
  });

  it('diff: the proposal has its own address (the file\'s path, the run), follows its staged file on disk, and the user\'s edit in it is what gets accepted', async () => {
    await vscode.workspace.fs.writeFile(project('address.md'), Buffer.from('one\n'));
    standIn.answers = { ...baseAnswers, plan: '1. Change address.md [files: address.md]', work: () => edit('address.md', 'one\n', 'ONE\n'), review: () => 'SCORE: 9\nREASON: Fine.\nFINDINGS: none' };
    const view = await run('Shout one');
    assert.equal(view.status, 'succeeded', view.error);
    const proposal = proposalOf(view.id, 'address.md');
    const stagedFile = staged(view.id, 'address.md');
    await vscode.commands.executeCommand('electrictown.changes.diff', { runId: view.id, file: api.changes.get(view.id)!.files[0] });
    await until('the diff open', () => diffTabOf(proposal));
    const document = await vscode.workspace.openTextDocument(proposal);
    assert.deepEqual([document.getText(), document.languageId], ['ONE\n', 'markdown']);

    // The staged file rewritten on disk (as a resumed run does): the diff shows it.
    writeFileSync(stagedFile.fsPath, 'ONE\nTWO\n');
    await until('the diff to show the staged file as it is now', () => (document.getText() === 'ONE\nTWO\n' ? true : undefined));

    // The user edits the proposal in the diff and accepts it from the title bar without saving: that edit goes in.
    const userEdit = new vscode.WorkspaceEdit();
    userEdit.insert(proposal, new vscode.Position(2, 0), 'mine\n');
    assert.equal(await vscode.workspace.applyEdit(userEdit), true);
    assert.equal(document.isDirty, true);
    assert.equal(await vscode.commands.executeCommand('electrictown.diff.accept', proposal), true);
    assert.equal(await text(project('address.md')), 'ONE\nTWO\nmine\n');
    assert.equal(readFileSync(stagedFile.fsPath, 'utf8'), 'ONE\nTWO\nmine\n', 'saved into the run folder first');
    await until('the diff closed', () => (diffTabOf(proposal) ? undefined : true));

    // Only known runs' proposals are served, and only the staged file a proposal names.
    const address = (uriPath: string, query: string) => vscode.Uri.from({ scheme: 'electrictown-proposal', path: uriPath, query });
    for (const unknown of [address('/rv/project/address.md', 'run=no-such-run'), address('/rv/project/../../../../etc/passwd', `run=${view.id}`), address('/rv/project/other.md', `run=${view.id}`)]) {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(unknown)), (error: unknown) => error instanceof vscode.FileSystemError && error.code === 'FileNotFound', unknown.toString());
    }
  });

  it('diff: next/previous pending file; Accept in the diff closes it; Restore Checkpoint puts back the run\'s files and the later run\'s, after saying which changed since', async () => {
    await vscode.workspace.fs.writeFile(project('cp.md'), Buffer.from('alpha\n'));
    const quiet = { ...baseAnswers, review: () => 'SCORE: 9\nREASON: Fine.\nFINDINGS: none' };
    standIn.answers = { ...quiet, plan: '1. Change cp.md [files: cp.md]\n2. Write extra.md', work: (subtask) => (subtask.includes('cp.md') ? edit('cp.md', 'alpha\n', 'ALPHA\n') : '===FILE: extra.md===\nextra\n===ENDFILE===') };
    const first = await run('Shout alpha');
    // Next / previous pending file, from a diff: the other file's diff, and back.
    const order = api.changes.pendingEntries().map((entry) => entry.file.path);
    const [one, two] = order.map((file) => proposalOf(first.id, file));
    await vscode.commands.executeCommand('electrictown.changes.diff', { runId: first.id, file: api.changes.get(first.id)!.files.find((file) => file.path === order[0]) });
    await until('the diff open', () => diffTabOf(one));
    assert.equal(await vscode.commands.executeCommand('electrictown.diff.nextFile'), order[1]);
    await until('the next file\'s diff active', () => (vscode.window.tabGroups.activeTabGroup.activeTab === diffTabOf(two) ? true : undefined));
    assert.equal(await vscode.commands.executeCommand('electrictown.diff.previousFile'), order[0]);
    await until('the first file\'s diff active again', () => (vscode.window.tabGroups.activeTabGroup.activeTab === diffTabOf(one) ? true : undefined));
    // Accepted from Changes: the diffs close too.
    assert.equal(await vscode.commands.executeCommand('electrictown.changes.acceptRun', first.id), true);
    await until('the diffs closed', () => (diffTabOf(one) ?? diffTabOf(two) ? undefined : true));
    standIn.answers = { ...quiet, plan: '1. Change cp.md [files: cp.md]', work: () => edit('cp.md', 'ALPHA\n', 'ALPHA\nbeta\n') };
    const second = await run('Add beta');
    // Accepted from the diff's title bar (its resource is the proposal): the diff closes.
    const proposal = proposalOf(second.id, 'cp.md');
    await vscode.commands.executeCommand('electrictown.changes.diff', { runId: second.id, file: api.changes.get(second.id)!.files[0] });
    await until('the diff open', () => diffTabOf(proposal));
    assert.equal(await vscode.commands.executeCommand('electrictown.diff.accept', proposal), true);
    await until('the diff closed', () => (diffTabOf(proposal) ? undefined : true));
    assert.deepEqual([await text(project('cp.md')), await text(project('extra.md'))], ['ALPHA\nbeta\n', 'extra\n']);
    // The user changes cp.md afterwards: the confirmation says so.
    await vscode.workspace.fs.writeFile(project('cp.md'), Buffer.from('ALPHA\nbeta\nmine\n'));

    const asked: { message: string; detail?: string }[] = [];
    const stubs = [stub('showWarningMessage', () => async (message, options) => (asked.push({ message: String(message), detail: (options as vscode.MessageOptions | undefined)?.detail }), 'Restore')), recording('showInformationMessage', [])];
    try {
      const said = await vscode.commands.executeCommand<string>('electrictown.restoreCheckpoint', first.id);
      assert.equal(said, `Electrictown: restored the checkpoint of run ${first.id} (and took back run ${second.id}): put back cp.md; deleted extra.md (not there before). One Undo takes it back.`);
    } finally {
      for (const replaced of stubs) replaced.restore();
    }
    assert.equal(asked.length, 1);
    assert.equal(asked[0].message, `Restore 2 files as before run ${first.id}?`);
    assert.match(asked[0].detail ?? '', /Puts back as before run \w+: cp\.md, extra\.md \(deleted: it did not exist\)\./);
    assert.match(asked[0].detail ?? '', new RegExp(`Later run ${second.id} changed some of these files too and is taken back with it\\.`));
    assert.match(asked[0].detail ?? '', /Changed since the runs' accept \(by you or another tool\), and overwritten: cp\.md\./);
    assert.equal(await text(project('cp.md')), 'alpha\n');
    assert.equal(await exists(project('extra.md')), false);
  });

  it('shows one progress notification per run, spend that moves while it runs, a resumed run as running and expanded, and runs by start time', async () => {
    const titles: string[] = [];
    const replaced = stub('withProgress', (original) => (options, task) => (titles.push(`${(options as vscode.ProgressOptions).location}:${(options as vscode.ProgressOptions).title ?? ''}`), original(options, task)));
    standIn.holdWorkers = true;
    const heldBefore = standIn.heldCalls;
    try {
      await api.costs();
      const before = api.costsNow()?.periods[0].total.usd ?? 0;
      const statusBefore = api.status.text;
      const finished = run('Spend while running');
      const live = await until('a worker’s call to be held', () => (standIn.heldCalls > heldBefore ? api.runs.running()[0] : undefined));
      // The mayor's priced call landed: the Costs totals and the status bar show it while the run runs.
      const now = await until('the spend to move', () => ((api.costsNow()?.periods[0].total.usd ?? 0) > before ? api.costsNow()!.periods[0].total.usd : undefined));
      assert.ok(Math.abs(now - before - live.spend.usd) < 1e-9, `${now} - ${before} is the run's ${live.spend.usd}`);
      await until('the status bar to show it', () => (api.status.text !== statusBefore && api.runs.running().length === 1 ? true : undefined));
      assert.equal(titles.filter((title) => /Spend while running/i.test(title)).length, 1, JSON.stringify(titles));

      // The server dies: the run is interrupted. Resumed, it is shown running (and expanded), not interrupted.
      const record = await api.server.connection!.getRun({ runId: live.id });
      process.kill(record.pid, 'SIGKILL');
      assert.equal((await finished).interrupted, true);
      await until('the server to be back', () => api.server.languageClient);
      await until('the run listed as interrupted', async () => (await api.runsTree.getChildren()).find((node) => node.kind === 'run' && node.id === live.id && node.interrupted));
      const heldAgain = standIn.heldCalls;
      const resumed = vscode.commands.executeCommand<RunView>('electrictown.resumeRun', live.id);
      await until('the resumed run’s worker to be held', () => (standIn.heldCalls > heldAgain ? true : undefined));
      const node = (await api.runsTree.getChildren()).find((candidate): candidate is Extract<RunsNode, { kind: 'run' }> => candidate.kind === 'run' && candidate.id === live.id)!;
      const item = api.runsTree.getTreeItem(node);
      assert.match(String(item.description), /^running/);
      assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
      assert.equal(item.contextValue, 'run-running');
      assert.equal(titles.filter((title) => /Spend while running/i.test(title)).length, 2, 'one more for the resumed run, not two');
      assert.equal(await vscode.commands.executeCommand('electrictown.cancelRun', live.id), true);
      assert.equal((await resumed).status, 'cancelled');

      // Newest first, by start time: the resumed run keeps its place.
      const starts = (await api.runsTree.getChildren()).flatMap((candidate) => (candidate.kind === 'run' ? [candidate.startedAt] : []));
      assert.deepEqual(starts, [...starts].sort((a, b) => b - a));
    } finally {
      replaced.restore();
      standIn.holdWorkers = false;
    }
  });
});
