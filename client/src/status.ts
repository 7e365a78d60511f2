// One status bar item for the server: starting, running (with version) or stopped/failed.
import * as vscode from 'vscode';

export type ServerState = { kind: 'starting' } | { kind: 'running'; version?: string } | { kind: 'stopped' } | { kind: 'failed'; reason: string };

export class ServerStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('electrictown.server', vscode.StatusBarAlignment.Left, 0);

  constructor() {
    this.item.name = 'Electrictown';
    this.item.command = 'electrictown.showOutput';
    this.show({ kind: 'starting' });
    this.item.show();
  }

  show(state: ServerState): void {
    const links = '[Show Output](command:electrictown.showOutput) · [Restart Server](command:electrictown.restartServer) · [Open Config](command:electrictown.openConfig)';
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: ['electrictown.showOutput', 'electrictown.restartServer', 'electrictown.openConfig'] };
    switch (state.kind) {
      case 'starting':
        this.item.text = '$(loading~spin) Electrictown';
        tooltip.appendMarkdown('Electrictown server is starting…');
        this.item.backgroundColor = undefined;
        break;
      case 'running':
        this.item.text = '$(zap) Electrictown';
        tooltip.appendMarkdown(`Electrictown server ${state.version ?? ''} is running.`);
        this.item.backgroundColor = undefined;
        break;
      case 'stopped':
        this.item.text = '$(circle-slash) Electrictown';
        tooltip.appendMarkdown('Electrictown server is stopped.');
        this.item.backgroundColor = undefined;
        break;
      case 'failed':
        this.item.text = '$(error) Electrictown';
        tooltip.appendMarkdown(`Electrictown server failed: ${state.reason}`);
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
        break;
    }
    tooltip.appendMarkdown(`\n\n${links}`);
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
