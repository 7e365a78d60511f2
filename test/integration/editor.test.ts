// The extension inside a real VS Code: activation, the server, diagnostics in the Problems panel,
// completion, hover, definition and the config commands.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { ElectrictownApi } from '../../client/src/extension';
import { diagnosticsOf, until } from './wait';

const REPOSITORY = path.resolve(__dirname, '..', '..', '..');
const EXPECTED = readFileSync(path.join(REPOSITORY, 'test', 'fixtures', 'config', 'invalid', 'ten-mistakes.expected'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));
const SEVERITIES = ['error', 'warning', 'info', 'hint'];

function workspaceFile(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

function asExpectationLine(diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${SEVERITIES[diagnostic.severity]} [${String(diagnostic.code)}] ${diagnostic.message}`;
}

describe('Electrictown in VS Code', () => {
  let api: ElectrictownApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension, 'the extension is installed');
    api = await extension.activate();
  });

  it('activates in a workspace with electrictown.yaml and runs the bundled server', async () => {
    const client = await until('the language client to run', () => api.server.languageClient);
    assert.equal(client.state, State.Running);
    assert.equal(client.initializeResult?.serverInfo?.name, 'electrictown');
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['electrictown.restartServer', 'electrictown.openConfig', 'electrictown.createConfig', 'electrictown.showOutput']) {
      assert.ok(commands.includes(command), command);
    }
  });

  it('shows every problem of a broken config in the Problems panel, at the right ranges', async () => {
    const uri = workspaceFile('broken', 'electrictown.yaml');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await diagnosticsOf(uri, (found) => found.length > 0);
    assert.deepEqual(diagnostics.map(asExpectationLine), EXPECTED);
    assert.ok(diagnostics.every((diagnostic) => diagnostic.source === 'electrictown'));
  });

  it('updates diagnostics as the config is edited', async () => {
    const uri = workspaceFile('broken', 'electrictown.yaml');
    const editor = await vscode.window.showTextDocument(uri);
    const typo = new vscode.Range(2, 10, 2, 15);
    assert.equal(editor.document.getText(typo), 'olama');
    await editor.edit((edit) => edit.replace(typo, 'ollama'));
    const diagnostics = await diagnosticsOf(uri, (found) => found.length === EXPECTED.length - 1);
    assert.ok(!diagnostics.some((diagnostic) => diagnostic.code === 'unknown-provider-type'));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('completes model aliases, hovers an alias and goes to its definition', async () => {
    const uri = workspaceFile('completion', 'electrictown.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const modelLine = document.lineCount - 2;
    const position = new vscode.Position(modelLine, document.lineAt(modelLine).text.length);
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
    const labels = completions.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
    assert.ok(labels.includes('fast') && labels.includes('smart'), labels.join(', '));

    const reference = new vscode.Position(13, 13);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, reference);
    const hoverText = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
    assert.match(hoverText, /\*\*smart\*\* — model alias/);
    assert.match(hoverText, /qwen2\.5-coder:7b/);

    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', uri, reference);
    const target = definitions[0];
    const range = 'targetRange' in target ? target.targetRange : target.range;
    assert.equal(range.start.line, 8);
  });

  it('Create Config writes a starter config that checks clean', async () => {
    const uri = workspaceFile('electrictown.yaml');
    await vscode.commands.executeCommand('electrictown.createConfig');
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.match(editor?.document.getText() ?? '', /^providers:/m);
    // Prove the server checks the new file: one added mistake gives exactly one diagnostic, so the
    // starter itself has none.
    await editor?.edit((edit) => edit.insert(new vscode.Position(0, 0), 'colour: red\n'));
    const withMistake = await diagnosticsOf(uri, (found) => found.length > 0);
    assert.deepEqual(withMistake.map((diagnostic) => diagnostic.code), ['unknown-key']);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await diagnosticsOf(uri, (found) => found.length === 0);
    await vscode.workspace.fs.delete(uri);
  });

  it('Open Config opens the configured config', async () => {
    await vscode.workspace.getConfiguration('electrictown').update('configPath', 'completion/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('electrictown.openConfig');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, workspaceFile('completion', 'electrictown.yaml').fsPath);
    await vscode.workspace.getConfiguration('electrictown').update('configPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('Restart Server starts a new server that publishes diagnostics again', async () => {
    const before = api.server.languageClient;
    await vscode.commands.executeCommand('electrictown.restartServer');
    const after = await until('the restarted client', () => api.server.languageClient);
    assert.notEqual(after, before);
    const uri = workspaceFile('broken', 'electrictown.yaml');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await diagnosticsOf(uri, (found) => found.length === EXPECTED.length);
    assert.deepEqual(diagnostics.map(asExpectationLine), EXPECTED);
  });

  it('restarting twice at once leaves exactly one server', async () => {
    const results = await Promise.all([vscode.commands.executeCommand<boolean>('electrictown.restartServer'), vscode.commands.executeCommand<boolean>('electrictown.restartServer')]);
    assert.deepEqual(results, [true, true]);
    const uri = workspaceFile('broken', 'electrictown.yaml');
    await vscode.window.showTextDocument(uri);
    // Two servers would each publish their own set: VS Code shows the union.
    const diagnostics = await diagnosticsOf(uri, (found) => found.length >= EXPECTED.length);
    assert.deepEqual(diagnostics.map(asExpectationLine), EXPECTED);
  });

  it('reports a server that cannot start, and starts again once the setting is fixed', async () => {
    const settings = vscode.workspace.getConfiguration('electrictown');
    await settings.update('server.path', '/nonexistent/et', vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await vscode.commands.executeCommand<boolean>('electrictown.restartServer'), false);
      assert.equal(api.server.languageClient, undefined);
    } finally {
      await settings.update('server.path', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.equal(await vscode.commands.executeCommand<boolean>('electrictown.restartServer'), true);
    // Read through a function: TypeScript narrowed the property to undefined above.
    const currentClient = () => api.server.languageClient;
    assert.equal(currentClient()?.state, State.Running);
    const uri = workspaceFile('broken', 'electrictown.yaml');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await diagnosticsOf(uri, (found) => found.length === EXPECTED.length);
    assert.deepEqual(diagnostics.map(asExpectationLine), EXPECTED);
  });
});
