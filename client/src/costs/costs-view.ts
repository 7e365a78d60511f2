// The Costs view: a small webview that charts the ledger's totals (media/costs.js draws them). Strict
// CSP: only this extension's script and stylesheet, no remote content, no inline code; colours come
// from the theme's CSS variables. The data is posted as a message, never spliced into the HTML.
import * as vscode from 'vscode';
import type { CostsEmpty, CostsSnapshot } from './costs-model';

/** The commands the view's buttons may run: nothing the page names is run unless it is here. */
const VIEW_COMMANDS = new Set(['electrictown.createConfig', 'electrictown.runTask']);

export class CostsView implements vscode.WebviewViewProvider {
  static readonly id = 'electrictown.costs';
  private view: vscode.WebviewView | undefined;
  private latest: CostsSnapshot | CostsEmpty | { error: string } | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly reload: () => Promise<void>,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    // The Web Crypto global: node:crypto is not loaded at activation for one nonce.
    const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
    const script = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'costs.js'));
    const style = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'costs.css'));
    view.webview.html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${view.webview.cspSource}; style-src ${view.webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${style}"><title>Costs</title></head>
<body><main id="costs" aria-live="polite"><p class="muted">Reading the cost ledger…</p></main><script nonce="${nonce}" src="${script}"></script></body></html>`;
    view.webview.onDidReceiveMessage((message: { type?: string; command?: unknown }) => {
      if (message?.type === 'ready') this.post();
      else if (message?.type === 'refresh') void this.reload();
      else if (message?.type === 'command' && typeof message.command === 'string' && VIEW_COMMANDS.has(message.command)) void vscode.commands.executeCommand(message.command);
    });
    view.onDidChangeVisibility(() => {
      if (view.visible) void this.reload();
    });
  }

  show(snapshot: CostsSnapshot | CostsEmpty | { error: string }): void {
    this.latest = snapshot;
    this.post();
  }

  private post(): void {
    if (this.view && this.latest) void this.view.webview.postMessage({ type: 'costs', data: this.latest });
  }
}
