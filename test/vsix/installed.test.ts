// The extension as a user gets it: installed from the .vsix (`code --install-extension`), not loaded
// from the repository. It activates, starts the server the package carries, and the server answers.
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { ElectrictownApi } from '../../client/src/extension';

const SEVERITIES = ['error', 'warning', 'info', 'hint'];

/** Resolves when `probe` gives a value; fails after the deadline instead of sleeping blindly. */
async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the installed .vsix', () => {
  it('is the packaged extension, from the extensions folder it was installed into', () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension, 'electrictown.electrictown is installed');
    const extensionsFolder = process.env.ELECTRICTOWN_EXTENSIONS_DIR;
    assert.ok(extensionsFolder, 'run.mjs says where it installed the package');
    assert.equal(path.dirname(extension.extensionPath), extensionsFolder);
    assert.equal(extension.packageJSON.version, process.env.ELECTRICTOWN_VERSION);
  });

  it('activates, runs its server, and the server answers with diagnostics', async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    const api = await extension.activate();
    const client = await until('the language client to run', () => api.server.languageClient);
    assert.equal(client.state, State.Running);
    assert.equal(client.initializeResult?.serverInfo?.name, 'electrictown');
    assert.equal(client.initializeResult?.serverInfo?.version, process.env.ELECTRICTOWN_VERSION);

    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test workspace is open');
    const uri = vscode.Uri.joinPath(folder.uri, 'broken', 'electrictown.yaml');
    await vscode.window.showTextDocument(uri);
    const diagnostics = await until('diagnostics on broken/electrictown.yaml', () => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.length > 0 ? found : undefined;
    });
    const first = diagnostics[0];
    const { start, end } = first.range;
    assert.equal(
      `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${SEVERITIES[first.severity]} [${String(first.code)}]`,
      '3:11-3:16 error [unknown-provider-type]',
    );
  });
});
