// One status bar item: the server's state, the runs running and today's spend. Clicking it opens the
// Costs view (or the output when the server failed).
import * as vscode from 'vscode';
import { formatUsd } from './runs/run-view';

export type ServerState = { kind: 'starting' } | { kind: 'running'; version?: string } | { kind: 'stopped' } | { kind: 'failed'; reason: string };

export interface Activity {
  running: number;
  /** Today's priced spend, and how many of today's calls have no price. */
  todayUsd: number | undefined;
  todayUnpriced: number;
}

export class ServerStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('electrictown.server', vscode.StatusBarAlignment.Left, 0);
  private state: ServerState = { kind: 'starting' };
  private activity: Activity = { running: 0, todayUsd: undefined, todayUnpriced: 0 };

  constructor() {
    this.item.name = 'Electrictown';
    this.render();
    this.item.show();
  }

  show(state: ServerState): void {
    this.state = state;
    this.render();
  }

  setActivity(activity: Activity): void {
    this.activity = activity;
    this.render();
  }

  /** The item's text, for tests and the UI check. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const { state, activity } = this;
    const commands = ['electrictown.showOutput', 'electrictown.restartServer', 'electrictown.openConfig', 'electrictown.showCosts', 'electrictown.runTask'];
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = { enabledCommands: commands };
    const icons = { starting: '$(loading~spin)', running: activity.running > 0 ? '$(sync~spin)' : '$(zap)', stopped: '$(circle-slash)', failed: '$(error)' };
    const parts = ['Electrictown'];
    if (state.kind === 'running' && activity.running > 0) parts.push(`${activity.running} running`);
    if (state.kind === 'running' && activity.todayUsd !== undefined) parts.push(formatUsd(activity.todayUsd, activity.todayUnpriced));
    this.item.text = `${icons[state.kind]} ${parts.join(' · ')}`;
    this.item.backgroundColor = state.kind === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.command = state.kind === 'failed' || state.kind === 'stopped' ? 'electrictown.showOutput' : 'electrictown.showCosts';
    const headline = {
      starting: 'Electrictown server is starting…',
      running: `Electrictown server ${state.kind === 'running' ? (state.version ?? '') : ''} is running.`,
      stopped: 'Electrictown server is stopped.',
      failed: `Electrictown server failed: ${state.kind === 'failed' ? state.reason : ''}`,
    }[state.kind];
    tooltip.appendMarkdown(headline);
    if (state.kind === 'running') {
      tooltip.appendMarkdown(`\n\n${activity.running} run${activity.running === 1 ? '' : 's'} running`);
      if (activity.todayUsd !== undefined) tooltip.appendMarkdown(` · today ${formatUsd(activity.todayUsd, activity.todayUnpriced)}${activity.todayUnpriced > 0 ? ` (${activity.todayUnpriced} unpriced calls)` : ''}`);
    }
    tooltip.appendMarkdown('\n\n[Run Task](command:electrictown.runTask) · [Show Costs](command:electrictown.showCosts) · [Show Output](command:electrictown.showOutput) · [Restart Server](command:electrictown.restartServer) · [Open Config](command:electrictown.openConfig)');
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
