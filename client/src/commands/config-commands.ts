// "Open Config" and "Create Config".
import * as vscode from 'vscode';
import starterConfig from '../../../electrictown.yaml';
import { configPathUri, readSettings } from '../settings';
import { uriExists } from '../uri-exists';
import { ignoreLine, logDirOf, withIgnoreLine } from './log-folder-ignore';

const CONFIG_FILE_NAME = 'electrictown.yaml';

/** Config files in the workspace, shallowest first. */
async function findConfigs(): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles('**/electrictown.{yaml,yml}', '**/node_modules/**', 20);
  return found.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
}

export async function openConfig(): Promise<vscode.Uri | undefined> {
  const configured = configPathUri(readSettings());
  if (configured && (await uriExists(configured))) {
    await vscode.window.showTextDocument(configured);
    return configured;
  }
  const configs = await findConfigs();
  let target: vscode.Uri | undefined = configs[0];
  if (configs.length > 1) {
    const picked = await vscode.window.showQuickPick(
      configs.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { placeHolder: 'Which electrictown config?' },
    );
    target = picked?.uri;
  } else if (!target) {
    const choice = await vscode.window.showInformationMessage('Electrictown: this workspace has no electrictown.yaml.', 'Create Config');
    return choice === 'Create Config' ? createConfig() : undefined;
  }
  if (target) await vscode.window.showTextDocument(target);
  return target;
}

export async function createConfig(): Promise<vscode.Uri | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length > 1 ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Create electrictown.yaml in which folder?' }) : folders[0];
  if (!folder) {
    if (folders.length === 0) void vscode.window.showErrorMessage('Electrictown: open a folder first; the config lives at its root.');
    return undefined;
  }
  const target = vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAME);
  if (await uriExists(target)) {
    void vscode.window.showInformationMessage(`Electrictown: ${vscode.workspace.asRelativePath(target)} already exists; opened it.`);
  } else {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(starterConfig));
    const ignored = await ignoreLogFolder(folder.uri, starterConfig);
    if (ignored) void vscode.window.showInformationMessage(`Electrictown: created ${CONFIG_FILE_NAME}. Its runs and cost ledger go to ${ignored}, which .gitignore now leaves out.`);
  }
  await vscode.window.showTextDocument(target);
  return target;
}

/**
 * The config's log folder, when inside the workspace, added to the folder's `.gitignore` (created when
 * the folder is a git repository without one). Returns the line added, or undefined when none was.
 */
async function ignoreLogFolder(folder: vscode.Uri, configText: string): Promise<string | undefined> {
  const logDir = logDirOf(configText);
  const line = logDir === undefined ? undefined : ignoreLine(logDir);
  if (line === undefined) return undefined;
  const gitignore = vscode.Uri.joinPath(folder, '.gitignore');
  let existing: string | undefined;
  if (await uriExists(gitignore)) existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(gitignore));
  // A `.git` file (a worktree's) counts as much as a folder.
  else if (!(await uriExists(vscode.Uri.joinPath(folder, '.git')))) return undefined;
  const updated = withIgnoreLine(existing, line);
  if (updated === undefined) return undefined;
  await vscode.workspace.fs.writeFile(gitignore, new TextEncoder().encode(updated));
  return line;
}
