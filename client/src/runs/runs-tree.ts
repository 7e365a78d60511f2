// The Runs view: run → phases (the workers phase holds the subtasks) → files, builds and findings. Each
// subtask shows its model, status, tokens, cost and time. Items carry a `contextValue` the menus in
// package.json match (`run-running`, `run-resumable`, `run-done`, `file-written`, …).
import path from 'node:path';
import * as vscode from 'vscode';
import type { ProposedFile, RunFinding, RunStatus, SubtaskStatus } from '../../../server/src/protocol';
import { buildLabel, formatDuration, formatTokens, formatUsd, subtaskCostText, workerCost, type BuildView, type CallCost, type RunView, type SubtaskView } from './run-view';
import type { RunsModel } from './runs-model';

export type RunsNode =
  | { kind: 'run'; id: string; view: RunView | undefined; task: string; status: RunStatus; interrupted: boolean; folder: string; usd: number; unpriced: number; startedAt: number }
  | { kind: 'phase'; run: RunView; name: string; durationMs: number | undefined; subtasks: SubtaskView[] }
  | { kind: 'subtask'; run: RunView; subtask: SubtaskView }
  | { kind: 'group'; run: RunView; label: string; children: RunsNode[] }
  | { kind: 'file'; run: RunView; path: string; state: 'written' | 'proposed' | 'refused'; detail: string | undefined; proposed: ProposedFile | undefined }
  | { kind: 'build'; run: RunView; build: BuildView }
  | { kind: 'finding'; run: RunView; finding: RunFinding };

/** Opens a run's view (transcript-panel.ts): `{ runId, title, subtask? }`, or a Runs node from a menu. */
export const OPEN_RUN_VIEW_COMMAND = 'electrictown.openRunView';

const RESUMABLE: RunStatus[] = ['failed', 'cancelled', 'budget_exceeded'];

const RUN_ICONS: Record<RunStatus, [string, string | undefined]> = {
  running: ['sync~spin', undefined],
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  cancelled: ['circle-slash', undefined],
  budget_exceeded: ['warning', 'list.warningForeground'],
};

const SUBTASK_ICONS: Record<SubtaskStatus, [string, string | undefined]> = {
  pending: ['circle-outline', undefined],
  running: ['loading~spin', undefined],
  succeeded: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  skipped: ['debug-step-over', undefined],
  cancelled: ['circle-slash', undefined],
};

const icon = ([id, color]: [string, string | undefined]) => new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
const firstLine = (text: string, max = 70) => {
  const line = text.split('\n')[0].trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** The run's item's context value: which actions its menu offers. */
export function runContext(status: RunStatus, interrupted: boolean): string {
  if (status === 'running' && !interrupted) return 'run-running';
  return interrupted || RESUMABLE.includes(status) ? 'run-resumable' : 'run-done';
}

export class RunsTree implements vscode.TreeDataProvider<RunsNode> {
  private readonly changed = new vscode.EventEmitter<RunsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly model: RunsModel) {
    model.onDidChange(() => this.changed.fire(undefined));
  }

  async getChildren(node?: RunsNode): Promise<RunsNode[]> {
    if (!node) return this.model.runs().map(({ id, view, summary }) => this.runNode(id, view, summary));
    switch (node.kind) {
      case 'run': {
        const view = node.view ?? (await this.model.view(node.id));
        return view ? runChildren(view) : [];
      }
      case 'phase':
        return node.subtasks.map((subtask) => ({ kind: 'subtask', run: node.run, subtask }));
      case 'subtask':
        return subtaskFileNodes(node.run, node.subtask.files);
      case 'group':
        return node.children;
      default:
        return [];
    }
  }

  private runNode(id: string, view: RunView | undefined, summary: { task: string; status: RunStatus; interrupted: boolean; folder: string; usd: number; unpricedAttempts: number; startedAt: string } | undefined): RunsNode {
    // A view says whether the run is interrupted: a resumed run's listing may still say it was.
    if (view) return { kind: 'run', id, view, task: view.task, status: view.status, interrupted: view.interrupted, folder: view.folder, usd: view.spend.usd, unpriced: view.spend.unpricedAttempts, startedAt: view.startedAt };
    const known = summary ?? { task: id, status: 'running' as const, interrupted: false, folder: '', usd: 0, unpricedAttempts: 0, startedAt: new Date().toISOString() };
    return { kind: 'run', id, view: undefined, task: known.task, status: known.status, interrupted: known.interrupted, folder: known.folder, usd: known.usd, unpriced: known.unpricedAttempts, startedAt: Date.parse(known.startedAt) };
  }

  getTreeItem(node: RunsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'run': {
        const running = node.status === 'running' && !node.interrupted;
        const item = new vscode.TreeItem(firstLine(node.task) || node.id, running ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${node.id}`;
        const state = node.interrupted ? 'interrupted' : node.status.replace('_', ' ');
        const elapsed = node.view?.endedAt !== undefined ? ` · ${formatDuration(node.view.endedAt - node.startedAt)}` : '';
        const round = node.view?.round;
        item.description = `${round ? `round ${round.number} · ` : ''}${state} · ${formatUsd(node.usd, node.unpriced)}${elapsed}`;
        if (round) item.tooltip = `${node.task}\n\nround ${round.number}: ${round.refinement}`;
        item.iconPath = node.interrupted ? new vscode.ThemeIcon('debug-disconnect') : icon(RUN_ICONS[node.status]);
        item.contextValue = runContext(node.status, node.interrupted);
        item.command = { title: 'Open Run View', command: OPEN_RUN_VIEW_COMMAND, arguments: [{ runId: node.id, title: node.task }] };
        return item;
      }
      case 'phase': {
        const item = new vscode.TreeItem(node.name, node.subtasks.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.id = `run:${node.run.id}/phase:${node.name}`;
        item.description = node.durationMs === undefined ? 'running' : formatDuration(node.durationMs);
        item.iconPath = new vscode.ThemeIcon(node.durationMs === undefined ? 'loading~spin' : 'check');
        return item;
      }
      case 'subtask':
        return subtaskItem(node.run, node.subtask);
      case 'group': {
        const item = new vscode.TreeItem(`${node.label} (${node.children.length})`, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `run:${node.run.id}/${node.label}`;
        return item;
      }
      case 'file':
        return fileItem(node);
      case 'build': {
        const { build } = node;
        const result = build.passed === undefined ? 'running' : build.status === 'cached' ? 'as before (inputs unchanged)' : build.status === 'no-tests' ? 'no tests ran' : build.status === 'flaky' ? 'passed on a second run (flaky)' : build.passed ? 'passed' : build.status === 'timed-out' ? 'timed out' : `failed (${build.errors} ${build.errors === 1 ? 'error' : 'errors'})`;
        const item = new vscode.TreeItem(`${buildLabel(build)}: ${result}`);
        item.id = `run:${node.run.id}/build:${build.iteration}:${build.gate ?? ''}`;
        item.description = `${build.command}${build.durationMs !== undefined ? ` · ${formatDuration(build.durationMs)}` : ''}`;
        item.iconPath = build.passed === undefined ? new vscode.ThemeIcon('loading~spin') : icon(build.passed ? ['pass', 'testing.iconPassed'] : ['error', 'testing.iconFailed']);
        item.command = { title: 'Open Build Log', command: 'vscode.open', arguments: [vscode.Uri.file(path.join(node.run.folder, build.log))] };
        return item;
      }
      case 'finding': {
        const { finding } = node;
        const item = new vscode.TreeItem(finding.message);
        item.description = finding.file ? `${finding.file}${finding.line ? `:${finding.line}` : ''}` : `subtask ${finding.subtask}`;
        item.iconPath = new vscode.ThemeIcon(finding.severity === 'error' ? 'error' : finding.severity === 'warning' ? 'warning' : 'info');
        if (finding.file && node.run.outputDir) {
          const line = Math.max(0, (finding.line ?? 1) - 1);
          item.command = { title: 'Open', command: 'vscode.open', arguments: [vscode.Uri.file(path.join(node.run.outputDir, finding.file)), { selection: new vscode.Range(line, 0, line, 0) }] };
        }
        return item;
      }
    }
  }

  /** Tooltips are made on hover, not on every redraw of a run with dozens of subtasks. */
  resolveTreeItem(item: vscode.TreeItem, node: RunsNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const state = node.interrupted ? 'interrupted' : node.status.replace('_', ' ');
      item.tooltip = new vscode.MarkdownString(`**${escapeMarkdown(node.task)}**\n\nrun \`${node.id}\` · ${state}\n\nstarted ${new Date(node.startedAt).toLocaleString()}${node.view?.error ? `\n\n${node.view.error}` : ''}`);
    } else if (node.kind === 'subtask') {
      const { subtask } = node;
      const cost = (label: string, part: CallCost) => `${label}: ${formatTokens(part.tokens)}, ${formatUsd(part.usd, part.unpricedAttempts)}${part.unpricedAttempts > 0 ? ` (${part.unpricedAttempts} unpriced call${part.unpricedAttempts === 1 ? '' : 's'})` : ''}`;
      const costs = subtask.tokens > 0 || subtask.unpricedAttempts > 0 ? `\n\n${cost("the worker's calls", workerCost(subtask))}  \n${cost("the witness's review", subtask.review)}` : '';
      item.tooltip = new vscode.MarkdownString(`${escapeMarkdown(subtask.text)}\n\n${subtask.status}${subtask.score !== undefined ? ` · witness ${subtask.score}/10` : ''}${costs}${subtask.error ? `\n\n${subtask.error}` : ''}`);
    }
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

const escapeMarkdown = (text: string) => text.replace(/[\\`*_[\]]/g, '\\$&');

/** A run's children: its phases (subtasks under `workers`), then files, builds and findings. */
export function runChildren(run: RunView): RunsNode[] {
  const phases: RunsNode[] = run.phases.map((phase) => ({ kind: 'phase', run, name: phase.name, durationMs: phase.durationMs, subtasks: phase.name === 'workers' ? run.subtasks : [] }));
  // A plan whose workers have not started yet still shows its subtasks.
  if (run.subtasks.length > 0 && !run.phases.some((phase) => phase.name === 'workers')) phases.push({ kind: 'phase', run, name: 'workers', durationMs: undefined, subtasks: run.subtasks });
  const files: RunsNode[] = [
    ...run.written.map((file): RunsNode => ({ kind: 'file', run, path: file.path, state: 'written', detail: undefined, proposed: undefined })),
    ...run.proposed.map((file): RunsNode => ({ kind: 'file', run, path: file.path, state: 'proposed', detail: undefined, proposed: file })),
    ...run.refused.map((file): RunsNode => ({ kind: 'file', run, path: file.path, state: 'refused', detail: file.reason, proposed: undefined })),
  ];
  const groups: RunsNode[] = [];
  if (files.length > 0) groups.push({ kind: 'group', run, label: 'files', children: files });
  if (run.builds.length > 0) groups.push({ kind: 'group', run, label: 'builds', children: run.builds.map((build) => ({ kind: 'build', run, build })) });
  if (run.findings.length > 0) groups.push({ kind: 'group', run, label: 'findings', children: run.findings.map((finding) => ({ kind: 'finding', run, finding })) });
  return [...phases, ...groups];
}

/** The nodes of a subtask's files: proposed (with what is proposed) or written. */
function subtaskFileNodes(run: RunView, files: readonly string[]): RunsNode[] {
  const proposed = new Map(run.proposed.map((file) => [file.path, file]));
  return files.map((file) => ({ kind: 'file', run, path: file, state: proposed.has(file) ? 'proposed' : 'written', detail: undefined, proposed: proposed.get(file) }));
}

function subtaskItem(run: RunView, subtask: SubtaskView): vscode.TreeItem {
  const item = new vscode.TreeItem(`${subtask.index}. ${firstLine(subtask.text, 60)}`, subtask.files.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `run:${run.id}/subtask:${subtask.index}`;
  const elapsed = subtask.durationMs ?? (subtask.startedAt !== undefined && subtask.status === 'running' ? Date.now() - subtask.startedAt : undefined);
  const parts = [subtask.model ?? subtask.chain ?? '', subtaskCostText(subtask), elapsed !== undefined ? formatDuration(elapsed) : ''];
  item.description = parts.filter(Boolean).join(' · ');
  item.iconPath = icon(SUBTASK_ICONS[subtask.status]);
  item.contextValue = 'subtask';
  item.command = { title: 'Open Run View', command: OPEN_RUN_VIEW_COMMAND, arguments: [{ runId: run.id, title: run.task, subtask: subtask.index }] };
  return item;
}

function fileItem(node: Extract<RunsNode, { kind: 'file' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.path);
  item.id = `run:${node.run.id}/file:${node.state}:${node.path}`;
  item.description = node.state === 'refused' ? `refused: ${node.detail}` : node.state;
  item.contextValue = `file-${node.state}`;
  if (node.state === 'refused') {
    item.iconPath = new vscode.ThemeIcon('circle-slash');
    return item;
  }
  const { proposed } = node;
  item.resourceUri = vscode.Uri.file(proposed?.target ?? path.join(node.run.outputDir, node.path));
  item.command = proposed
    ? { title: 'Show Change', command: 'electrictown.changes.diff', arguments: [{ runId: node.run.id, file: proposed }] }
    : { title: 'Open File', command: 'vscode.open', arguments: [item.resourceUri] };
  return item;
}
