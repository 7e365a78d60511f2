// A first run in a real VS Code: Run Task with a config whose provider does not answer shows the
// pre-flight message (and asks for no task until "Run anyway"); the config editor's quick fixes replace
// a misspelt word and offer Set API Key for an unset variable; Create Config adds its log folder to
// .gitignore in a git repository, once.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { ElectrictownApi } from '../../client/src/extension';
import { diagnosticsOf, until } from './wait';

type Loose = (...args: unknown[]) => unknown;

/** Replaces a `vscode.window` function until `restore()`. */
function stub(name: string, replacement: (original: Loose) => Loose): { restore(): void } {
  const window = vscode.window as unknown as Record<string, Loose>;
  const original = window[name];
  window[name] = replacement(original.bind(vscode.window));
  return { restore: () => (window[name] = original) };
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('First run', () => {
  let api: ElectrictownApi;
  let folder: vscode.Uri;
  let port: number;
  const settings = () => vscode.workspace.getConfiguration('electrictown');

  before(async () => {
    api = await vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown')!.activate();
    folder = vscode.workspace.workspaceFolders![0].uri;
    port = await closedPort();
    const config = `providers:\n  local: { type: ollama, base_url: "http://127.0.0.1:${port}" }\nmodels:\n  llama: { provider: local, model: llama3.2 }\ndefaults:\n  model: llama\n  log_dir: logs\n`;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'first', 'electrictown.yaml'), Buffer.from(config));
    await settings().update('configPath', 'first/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    await api.server.restart();
    await until('the language client to run', () => api.server.languageClient);
  });

  after(async () => {
    await settings().update('configPath', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, 'first'), { recursive: true });
  });

  it('Run Task: a provider that does not answer is named before the task is asked for', async () => {
    const warnings: { message: string; items: string[] }[] = [];
    let asked = 0;
    const stubs = [stub('showWarningMessage', () => async (message, ...items) => (warnings.push({ message: String(message), items: items.map(String) }), undefined)), stub('createQuickPick', (original) => () => (asked++, original()))];
    try {
      const started = Date.now();
      const view = await vscode.commands.executeCommand('electrictown.runTask');
      assert.equal(view, undefined);
      assert.deepEqual(warnings, [
        {
          message: `Electrictown: before a run: Ollama is not running at http://127.0.0.1:${port}: start it (ollama serve), or point the roles at another provider (mayor, polecat, witness, refinery).`,
          items: ['Open Config', 'Run anyway'],
        },
      ]);
      assert.equal(asked, 0, 'the task was asked for');
      assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
    } finally {
      for (const replaced of stubs) replaced.restore();
    }
  });

  it('Run Task: "Run anyway" goes on to ask for the task', async () => {
    let asked = 0;
    const stubs = [
      stub('showWarningMessage', () => async () => 'Run anyway'),
      // The task box is closed as soon as it shows: nothing is run.
      stub('createQuickPick', (original) => () => {
        asked++;
        const pick = original() as vscode.QuickPick<vscode.QuickPickItem>;
        const show = pick.show.bind(pick);
        pick.show = () => (show(), void setTimeout(() => pick.hide(), 0));
        return pick;
      }),
    ];
    try {
      assert.equal(await vscode.commands.executeCommand('electrictown.runTask'), undefined);
      assert.equal(asked, 1);
    } finally {
      for (const replaced of stubs) replaced.restore();
    }
  });

  it('the config editor: quick fixes for "did you mean" and for an unset key variable', async () => {
    const uri = vscode.Uri.joinPath(folder, 'first', 'fixes', 'electrictown.yaml');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('providers:\n  local: { type: olama }\n  cloud: { type: openai, api_key: $ET_FIRST_RUN_UNSET_KEY }\nmodels:\n  llama: { provider: local, model: llama3.2 }\ndefaults:\n  model: llama\n'));
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await diagnosticsOf(uri, (found) => found.length >= 2);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const actions = await until('the quick fixes', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, whole, vscode.CodeActionKind.QuickFix.value);
      return found && found.length >= 2 ? found : undefined;
    });
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Change "olama" to "ollama"'), `${titles.join(' | ')}; ${diagnostics.map((d) => d.message).join(' | ')}`);
    const setKey = actions.find((action) => action.title === 'Set ET_FIRST_RUN_UNSET_KEY (Set API Key)');
    assert.deepEqual([setKey?.command?.command, setKey?.command?.arguments], ['electrictown.setApiKey', ['ET_FIRST_RUN_UNSET_KEY']]);
    const change = actions.find((action) => action.title === 'Change "olama" to "ollama"')!;
    assert.ok(await vscode.workspace.applyEdit(change.edit!));
    assert.equal(document.lineAt(1).text, '  local: { type: ollama }');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Create Config adds the log folder to .gitignore in a git repository, once', async () => {
    const gitFolder = vscode.Uri.joinPath(folder, '.git');
    const gitignore = vscode.Uri.joinPath(folder, '.gitignore');
    const created = vscode.Uri.joinPath(folder, 'electrictown.yaml');
    // A starter left by another test would be opened, not written.
    await vscode.workspace.fs.delete(created).then(undefined, () => undefined);
    await vscode.workspace.fs.createDirectory(gitFolder);
    const informed: string[] = [];
    const replaced = stub('showInformationMessage', (original) => (message, ...items) => (informed.push(String(message)), original(message, ...items)));
    try {
      await vscode.commands.executeCommand('electrictown.createConfig');
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(gitignore)), '/.electrictown/\n');
      assert.deepEqual(informed, ['Electrictown: created electrictown.yaml. Its runs and cost ledger go to /.electrictown/, which .gitignore now leaves out.']);
      // Again, after the config was removed: the line is there already.
      await vscode.workspace.fs.delete(created);
      await vscode.commands.executeCommand('electrictown.createConfig');
      assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(gitignore)), '/.electrictown/\n');
    } finally {
      replaced.restore();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      for (const uri of [gitFolder, gitignore, created]) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
    }
  });
});
