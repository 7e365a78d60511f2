// The extension's VS Code settings (declared in package.json `contributes.configuration`).
import * as vscode from 'vscode';

export const SECTION = 'electrictown';

export interface ClientSettings {
  /** Config file the commands use; relative paths resolve against the first workspace folder. */
  configPath: string;
  /** Glob patterns of files the server checks, besides `configPath`. */
  configFilePatterns: string[];
  /** Another `et` executable to run instead of the bundled server. */
  serverPath: string;
}

export function readSettings(): ClientSettings {
  const configuration = vscode.workspace.getConfiguration(SECTION);
  return {
    configPath: configuration.get<string>('configPath', '').trim(),
    configFilePatterns: configuration.get<string[]>('configFilePatterns', ['**/electrictown.yaml', '**/electrictown.yml']),
    serverPath: configuration.get<string>('server.path', '').trim(),
  };
}

/** Settings whose change needs a new server (the others are read when used). */
export const RESTART_SETTINGS = ['configPath', 'configFilePatterns', 'server.path'].map((key) => `${SECTION}.${key}`);

/** `configPath` as a URI, or undefined when unset or unresolvable. */
export function configPathUri(settings: ClientSettings): vscode.Uri | undefined {
  if (!settings.configPath) return undefined;
  const expanded = settings.configPath.replace(/^~(?=\/|$)/, process.env.HOME ?? '~');
  if (expanded.startsWith('/') || /^[A-Za-z]:[\\/]/.test(expanded)) return vscode.Uri.file(expanded);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, expanded) : undefined;
}
