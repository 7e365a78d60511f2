// Starting, following and stopping runs from the editor: Run Task, Resume Run, Continue Run, Cancel Run. Each run
// gets a progress notification with Cancel; its proposed files go to the Changes view (or straight in,
// with `electrictown.autoApply` in a trusted workspace); its end is reported with what to do next.
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunParams, SelectedLines } from '../../../server/src/protocol';
import type { ChangesModel } from '../changes/changes-model';
import type { ServerConnection } from '../connection/server-connection';
import type { ReviewDecisions } from '../changes/review-decisions';
import { SECTION } from '../settings';
import { runContextParams, type EditorFocus } from './editor-context';
import { passesPreflight } from './preflight-gate';
import { RunInputs, type RunChoices } from './run-options';
import { formatUsd, progressMessage, settledCount, type RunView } from './run-view';
import type { RunsModel } from './runs-model';

/** Run Task's arguments when called from code (tests, other extensions, keybindings): no prompts. */
export interface RunTaskArguments extends Partial<RunChoices> {
  task: string;
  configPath?: string;
  /** Default: the `electrictown.maxSubtasks` setting. */
  maxSubtasks?: number;
  /** Files, folders or globs relative to the output folder that the mayor and workers are shown. */
  context?: string[];
  selection?: SelectedLines;
}

/** What a caller in code (the language model tool) controls and learns beyond the run's final view. */
export interface RunHooks {
  /** Cancelling it cancels the run; cancelled before the run starts, it does not start. */
  token?: vscode.CancellationToken;
  /** Why no run started, in words (the user is told with a notification as well). */
  onNotStarted?(reason: string): void;
  /** False: the task and options are not kept as the user's own (an agent's run). Default true. */
  remember?: boolean;
}

/** The active editor's file (a saved one), with its selection when `withSelection` and there is one. */
function activeFocus(withSelection: boolean): EditorFocus | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') return undefined;
  const { selection, document } = editor;
  if (!withSelection || selection.isEmpty) return { file: document.uri.fsPath };
  // A selection that ends at the start of a line does not take that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  const lines = new vscode.Range(selection.start.line, 0, endLine, document.lineAt(endLine).text.length);
  return { file: document.uri.fsPath, selection: { startLine: selection.start.line + 1, endLine: endLine + 1, text: document.getText(lines) } };
}

/** What Continue Run offers: runs whose files are where they ended (the server refuses the others with why). */
const REFINABLE = ['succeeded', 'failed', 'budget_exceeded'];

const END_WORDS: Record<string, string> = { succeeded: 'finished', failed: 'failed', cancelled: 'was cancelled', budget_exceeded: 'stopped at its budget' };

export class RunController {
  constructor(
    private readonly client: () => ServerConnection | undefined,
    private readonly runs: RunsModel,
    private readonly changes: ChangesModel,
    private readonly decisions: ReviewDecisions,
    private readonly inputs: RunInputs,
    private readonly configPath: () => string | undefined,
  ) {}

  /** The running connection, or undefined after telling the user why nothing can run. */
  private readyClient(): ServerConnection | undefined {
    const client = this.client();
    if (!client) {
      void vscode.window.showWarningMessage('Electrictown: the server is not running.', 'Restart Server', 'Show Output').then((choice) => {
        if (choice === 'Restart Server') void vscode.commands.executeCommand('electrictown.restartServer');
        if (choice === 'Show Output') void vscode.commands.executeCommand('electrictown.showOutput');
      });
    }
    return client;
  }

  /**
   * "Run Task": asks for the task and options unless given; resolves with the run's final view. The
   * active file is in context (and with `withSelection`, the selected lines).
   */
  async runTask(given?: RunTaskArguments, withSelection = false, hooks?: RunHooks): Promise<RunView | undefined> {
    const client = this.readyClient();
    if (!client) {
      hooks?.onNotStarted?.('the electrictown server is not running');
      return undefined;
    }
    const trusted = vscode.workspace.isTrusted;
    // Called from code, Run Task takes only what it is given; on a selection, the editor's is the point.
    const focus = given && !withSelection ? undefined : activeFocus(withSelection);
    if (withSelection && !focus?.selection) {
      void vscode.window.showInformationMessage('Electrictown: select the lines the task is about in a saved file first.');
      return undefined;
    }
    // Asked from the palette: a missing config, key or provider is said before the task is typed.
    if (!given && !(await passesPreflight(client, this.configPath()))) return undefined;
    const task = given?.task ?? (focus?.selection ? await this.inputs.askTask('Electrictown: Run Task on Selection', `What should happen to lines ${focus.selection.startLine}-${focus.selection.endLine} of ${path.basename(focus.file)}?`) : await this.inputs.askTask());
    if (!task) return undefined;
    // Untrusted, iterate starts off whatever the settings or the last run say (it cannot be switched off
    // there, so every run would be refused); only asking for it is refused.
    const remembered = this.inputs.choices();
    const start = { ...(trusted ? remembered : { ...remembered, iterate: false }), files: focus ? [focus.file] : [] };
    const choices = given ? { ...start, ...given, files: [...start.files, ...(given.files ?? [])] } : await this.inputs.askChoices(start, trusted, focus?.file);
    if (!choices) return undefined;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
    const fromEditor = runContextParams(choices.files ?? [], focus, path.resolve(folder, choices.outputDir));
    if (fromEditor.outside.length > 0) void vscode.window.showWarningMessage(`Electrictown: ${fromEditor.outside.map((file) => vscode.workspace.asRelativePath(file)).join(', ')} ${fromEditor.outside.length === 1 ? 'is' : 'are'} outside the output folder (${choices.outputDir}): the run is not shown ${fromEditor.outside.length === 1 ? 'it' : 'them'}.`);
    const context = [...(given?.context ?? []), ...fromEditor.context];
    const selection = given?.selection ?? fromEditor.selection;
    if (choices.iterate && !trusted) {
      hooks?.onNotStarted?.('iterate runs the build command, which an untrusted workspace does not allow');
      void vscode.window.showWarningMessage('Electrictown: iterating runs the build command, which this untrusted workspace does not allow. Trust the workspace, or run without iterate.', 'Manage Workspace Trust').then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
      return undefined;
    }
    // The iterate the workspace had stays remembered for when it is trusted.
    if (hooks?.remember !== false) await this.inputs.remember(task, { outputDir: choices.outputDir, workers: choices.workers, iterate: trusted ? choices.iterate : remembered.iterate, maxIterations: choices.maxIterations, budgetUsd: choices.budgetUsd });
    const params: RunParams = {
      task,
      configPath: given?.configPath ?? this.configPath(),
      outputDir: choices.outputDir,
      workers: choices.workers,
      iterate: choices.iterate,
      maxIterations: choices.maxIterations,
      maxSubtasks: given?.maxSubtasks ?? vscode.workspace.getConfiguration(SECTION).get<number>('maxSubtasks', 10),
      ...(choices.budgetUsd !== null ? { budgetUsd: choices.budgetUsd } : {}),
      approvePlan: vscode.workspace.getConfiguration(SECTION).get<boolean>('approvePlan', true),
      ...(context.length > 0 ? { context } : {}),
      ...(selection ? { selection } : {}),
      // The build reads the disk; otherwise every file waits for review in the Changes view.
      writeMode: choices.iterate ? 'disk' : 'review',
    };
    return this.start(client, params, task, hooks);
  }

  /** "Resume Run": a run that failed, was cancelled, hit its budget or died, continued where it stopped. */
  async resume(runId?: string): Promise<RunView | undefined> {
    const client = this.readyClient();
    if (!client) return undefined;
    const id = runId ?? (await this.pick('Resume which run?', (run) => run.interrupted || ['failed', 'cancelled', 'budget_exceeded'].includes(run.status), 'No run can be resumed: none failed, was cancelled, stopped at its budget or was interrupted.'));
    if (!id) return undefined;
    const record = await client.getRun({ runId: id, configPath: this.configPath() });
    if (record.flags.iterate && !vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Electrictown: this run iterates, which runs the build command; trust the workspace to resume it.');
      return undefined;
    }
    this.runs.resuming(record);
    return this.start(client, { task: record.task, resume: id, configPath: this.configPath(), writeMode: record.flags.iterate ? 'disk' : 'review' }, record.task);
  }

  /**
   * "Continue Run…": a finished run refined — a new round of the same run, in which the mayor plans only
   * what the refinement needs and the workers that wrote the files go on. `refinement` given: no prompt.
   */
  async continueRun(runId?: string, refinement?: string): Promise<RunView | undefined> {
    const client = this.readyClient();
    if (!client) return undefined;
    const id = runId ?? (await this.pick('Continue which run?', (run) => !run.interrupted && REFINABLE.includes(run.status), 'No run can be continued: none has finished (succeeded, failed or stopped at its budget).'));
    if (!id) return undefined;
    const record = await client.getRun({ runId: id, configPath: this.configPath() });
    const text = refinement ?? (await vscode.window.showInputBox({ title: `Electrictown: Continue Run ${id}`, prompt: `What should change in what "${record.task.split('\n')[0].slice(0, 60)}" made? The mayor plans only that; the workers that wrote the files go on.`, placeHolder: 'e.g. the DELETE endpoint must return 404 for unknown ids', ignoreFocusOut: true }));
    if (!text?.trim()) return undefined;
    if (record.flags.iterate && !vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Electrictown: this run iterates, which runs the build command; trust the workspace to continue it.');
      return undefined;
    }
    this.runs.resuming(record);
    return this.start(client, { task: text.trim(), continueRunId: id, configPath: this.configPath(), approvePlan: vscode.workspace.getConfiguration(SECTION).get<boolean>('approvePlan', true), writeMode: record.flags.iterate ? 'disk' : 'review' }, record.task);
  }

  async cancel(runId?: string): Promise<boolean> {
    const client = this.readyClient();
    if (!client) return false;
    const id = runId ?? (await this.pick('Cancel which run?', (run) => run.status === 'running' && !run.interrupted, 'No run is running.'));
    if (!id) return false;
    const { cancelled } = await client.cancelRun({ runId: id });
    if (!cancelled) void vscode.window.showInformationMessage(`Electrictown: run ${id} is not running any more.`);
    return cancelled;
  }

  /** A run id from the sidebar's runs that match, picked when there are several. */
  async pick(title: string, matches: (run: { status: string; interrupted: boolean }) => boolean, none: string): Promise<string | undefined> {
    const candidates = this.runs.runs().flatMap(({ id, view, summary }) => {
      const status = view?.status ?? summary?.status ?? 'running';
      // A view knows better than the last listing: a resumed run is running again.
      const interrupted = view ? view.interrupted : (summary?.interrupted ?? false);
      return matches({ status, interrupted }) ? [{ label: (view?.task ?? summary?.task ?? id).split('\n')[0], description: `${interrupted ? 'interrupted' : status} · ${id}`, id }] : [];
    });
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(`Electrictown: ${none}`);
      return undefined;
    }
    if (candidates.length === 1) return candidates[0].id;
    return (await vscode.window.showQuickPick(candidates, { title }))?.id;
  }

  private async start(client: ServerConnection, params: RunParams, task: string, hooks?: RunHooks): Promise<RunView | undefined> {
    if (hooks?.token?.isCancellationRequested) {
      hooks.onNotStarted?.('it was cancelled before it started');
      return undefined;
    }
    let started;
    try {
      started = await client.run(params);
    } catch (error) {
      if (params.resume ?? params.continueRunId) this.runs.release((params.resume ?? params.continueRunId) as string);
      const message = error instanceof Error ? error.message : String(error);
      hooks?.onNotStarted?.(`the run could not start: ${message}`);
      void vscode.window.showErrorMessage(`Electrictown: the run could not start: ${message}`, 'Open Config').then((choice) => choice && vscode.commands.executeCommand('electrictown.openConfig'));
      return undefined;
    }
    const view = this.runs.track(started.runId, task, started.folder);
    const runId = started.runId;
    const cancelling = hooks?.token?.onCancellationRequested(() => void client.cancelRun({ runId }));
    // It may have been cancelled while the run was being started.
    if (hooks?.token?.isCancellationRequested) void client.cancelRun({ runId });
    let finished: RunView;
    try {
      finished = await this.follow(client, view);
    } finally {
      cancelling?.dispose();
    }
    await this.settle(finished);
    return finished;
  }

  /** A progress notification with Cancel until the run ends. */
  private follow(client: ServerConnection, view: RunView): Promise<RunView> {
    return new Promise((resolve) => {
      const title = `Electrictown: ${view.task.split('\n')[0].slice(0, 60)}`;
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        token.onCancellationRequested(() => void client.cancelRun({ runId: view.id }));
        return new Promise<void>((done) => {
          let reported = 0;
          let said: string | undefined;
          // On the model's coalesced change, not per event batch: a few reports a second at most.
          const report = () => {
            const message = progressMessage(view);
            const total = view.subtasks.length;
            const settled = total === 0 ? 0 : (settledCount(view) / total) * 100;
            if (message === said && settled === reported) return;
            progress.report({ message, increment: settled - reported });
            said = message;
            reported = settled;
          };
          const subscriptions = [
            this.runs.onDidChange(report),
            this.runs.onDidEndRun(({ view: ended }) => {
              if (ended.id === view.id) finish();
            }),
          ];
          const finish = () => {
            for (const subscription of subscriptions) subscription.dispose();
            done();
            resolve(view);
          };
          // It may have ended before these listeners were in place.
          if (view.status !== 'running' || view.interrupted) finish();
        });
      });
    });
  }

  /** After the run: its proposed files to review (or applied), and a note saying how it went. */
  private async settle(view: RunView): Promise<void> {
    if (view.interrupted) {
      void vscode.window.showWarningMessage(`Electrictown: run ${view.id} was interrupted: the server stopped while it ran. Its folder keeps what it finished; Resume Run continues it.`, 'Resume Run').then((choice) => choice && this.resume(view.id));
      return;
    }
    const cost = formatUsd(view.spend.usd, view.spend.unpricedAttempts);
    const summary = `run ${END_WORDS[view.status] ?? view.status} (${cost})${view.error ? `: ${view.error}` : ''}`;
    if (view.proposed.length === 0) {
      const written = view.written.length > 0 ? `; ${view.written.length} file${view.written.length === 1 ? '' : 's'} written` : '';
      const show = view.status === 'succeeded' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
      void show(`Electrictown: ${summary}${written}.`, 'Show Runs').then((choice) => choice && vscode.commands.executeCommand('electrictown.runs.focus'));
      return;
    }
    this.changes.add(view.id, view.task, view.proposed);
    const autoApply = vscode.workspace.getConfiguration(SECTION).get<boolean>('autoApply', false) && vscode.workspace.isTrusted;
    // A file that would run code when the project is opened or built is never applied on its own.
    const held = view.proposed.filter((file) => file.runsCode !== undefined);
    const applicable = view.proposed.filter((file) => file.runsCode === undefined);
    if (autoApply && applicable.length > 0) {
      const result = await this.decisions.accept(applicable.map((file) => ({ runId: view.id, task: view.task, file })), `Electrictown run ${view.id}`, { quiet: true });
      const files = applicable.length === 1 ? '1 file (Undo takes it back)' : `${applicable.length} files (Undo takes them back)`;
      const waiting = held.length > 0 ? ` ${held.map((file) => file.path).join(', ')} would run code when the project is opened or built: review ${held.length === 1 ? 'it' : 'them'} in Changes.` : '';
      const applied = result.accepted ? `; applied ${files}.` : `. ${result.message.replace(/^Electrictown: /, '')}`;
      void (held.length > 0 || !result.accepted ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(`Electrictown: ${summary}${applied}${waiting}`, ...(held.length > 0 || !result.accepted ? ['Review Changes'] : [])).then((choice) => choice && vscode.commands.executeCommand('electrictown.changes.focus'));
      return;
    }
    const count = `${view.proposed.length} file${view.proposed.length === 1 ? '' : 's'}`;
    void vscode.window.showInformationMessage(`Electrictown: ${summary}; ${count} to review.`, 'Review Changes', 'Accept All').then((choice) => {
      if (choice === 'Review Changes') void vscode.commands.executeCommand('electrictown.changes.focus');
      if (choice === 'Accept All') void vscode.commands.executeCommand('electrictown.changes.acceptRun', view.id);
    });
  }
}
