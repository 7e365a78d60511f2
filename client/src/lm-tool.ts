// "Run an electrictown team" for VS Code's agents: a language model tool (`electrictown_run`, `#electrictown`
// in a chat) that starts a run through the same controller as Run Task — so it shows in Runs, its files
// land in Changes and its spend in Costs — after the user confirms the task and the budget. It answers
// with the run's summary, files, findings and spend; anything that stops it is an answer, not a throw.
// Registered where the running VS Code has `vscode.lm.registerTool`; an untrusted workspace is refused
// with the reason, since an agent's prompt may come from the workspace's own files.
import path from 'node:path';
import * as vscode from 'vscode';
import type { ChangesModel } from './changes/changes-model';
import type { ServerConnection } from './connection/server-connection';
import { confirmationMessage, CONFIRMATION_TITLE, INVOCATION_MESSAGE } from './lm-tool/tool-messages';
import { invocationInput, RUN_TOOL_NAME, type RunToolInput } from './lm-tool/tool-input';
import { notRunText, runResultParts, type RunDetails } from './lm-tool/tool-result';
import type { RunController, RunTaskArguments } from './runs/run-controller';
import { runContextParams } from './runs/editor-context';
import type { RunChoices } from './runs/run-options';
import type { RunView } from './runs/run-view';
import { SECTION } from './settings';

export interface RunToolDeps {
  controller: RunController;
  client(): ServerConnection | undefined;
  changes: ChangesModel;
  /** What Run Task starts from when called from code: the settings and the user's last choices. */
  choices(): RunChoices;
  configPath(): string | undefined;
  /** Resolves once the server is up (an invocation may be what activated the extension); false: it could not start. */
  serverReady(): Promise<boolean>;
}

/** The parts of the tool API this uses, read at run time: an editor without them gets no tool. */
type ToolApi = Pick<typeof vscode.lm, 'registerTool'>;

/** How long the confirmation waits for the server to read the config's budget. */
const CONFIG_WAIT_MS = 3000;

const textResult = (parts: readonly string[]) => new vscode.LanguageModelToolResult(parts.map((part) => new vscode.LanguageModelTextPart(part)));

/** The workspace folder's name and path, as the confirmation shows them. */
function workspaceFolder(): { name: string; path: string } | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? { name: folder.name, path: folder.uri.fsPath } : undefined;
}

/** Run Task's arguments for the agent's input: files made absolute against the workspace folder. */
function runArguments(input: RunToolInput): RunTaskArguments {
  const root = workspaceFolder()?.path ?? process.cwd();
  return {
    task: input.task,
    files: input.files.map((file) => path.resolve(root, file)),
    ...(input.context.length > 0 ? { context: input.context } : {}),
    ...(input.outputDir !== undefined ? { outputDir: input.outputDir } : {}),
    ...(input.iterate !== undefined ? { iterate: input.iterate } : {}),
    ...(input.budgetUsd !== undefined ? { budgetUsd: input.budgetUsd } : {}),
    ...(input.workers !== undefined ? { workers: input.workers } : {}),
  };
}

/** The tool: confirmation first, then the run, then its answer. */
export class RunTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly deps: RunToolDeps) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>): Promise<vscode.PreparedToolInvocation> {
    const parsed = invocationInput(options.input, vscode.workspace.isTrusted);
    // Nothing will run (invoke answers why), so there is nothing to confirm.
    if (!parsed.ok) return { invocationMessage: INVOCATION_MESSAGE };
    const choices = this.deps.choices();
    const message = confirmationMessage({
      input: parsed.input,
      defaultBudgetUsd: choices.budgetUsd,
      config: await this.configDefaults(),
      folder: workspaceFolder(),
      outputDir: parsed.input.outputDir ?? choices.outputDir,
      workers: parsed.input.workers ?? choices.workers,
      iterate: parsed.input.iterate ?? choices.iterate,
      approvePlan: vscode.workspace.getConfiguration(SECTION).get<boolean>('approvePlan', true),
    });
    return { invocationMessage: INVOCATION_MESSAGE, confirmationMessages: { title: CONFIRMATION_TITLE, message: new vscode.MarkdownString(message) } };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const parsed = invocationInput(options.input, vscode.workspace.isTrusted);
    if (!parsed.ok) return textResult([notRunText(parsed.problem)]);
    let reason: string | undefined;
    try {
      if (!(await this.deps.serverReady())) return textResult([notRunText('the electrictown server could not start (its error is in the Electrictown output)')]);
      const given = runArguments(parsed.input);
      const view = await this.deps.controller.runTask(given, false, { token, remember: false, onNotStarted: (why) => (reason = why) });
      if (!view) return textResult([notRunText(reason ?? 'it was stopped before it started')]);
      // Run Task leaves out (and warns the user of) files outside the output folder; the agent is told too.
      const outputDirectory = path.resolve(workspaceFolder()?.path ?? process.cwd(), given.outputDir ?? this.deps.choices().outputDir);
      const notShown = runContextParams(given.files ?? [], undefined, outputDirectory).outside.map((file) => vscode.workspace.asRelativePath(file));
      return textResult(runResultParts(view, { ...(await this.details(view)), notShown }));
    } catch (error) {
      return textResult([`The electrictown run failed in the editor: ${error instanceof Error ? error.message : String(error)}`]);
    }
  }

  /** The config's budget as the server reads it; undefined when it cannot say soon (the question must not wait). */
  private async configDefaults(): Promise<{ path: string; budgetUsd: number | null } | undefined> {
    const client = this.deps.client();
    if (!client) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), CONFIG_WAIT_MS)));
    try {
      const defaults = await Promise.race([client.runDefaults({ configPath: this.deps.configPath() }).catch(() => undefined), late]);
      return defaults ? { path: defaults.configPath, budgetUsd: defaults.budgetUsd } : undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The summary and line counts from the run's record, and which proposals still wait for review. */
  private async details(view: RunView): Promise<RunDetails> {
    const pending = this.deps.changes.pendingEntries().filter((entry) => entry.runId === view.id).map((entry) => entry.file.path);
    const record = await this.deps.client()?.getRun({ runId: view.id, configPath: this.deps.configPath() }).catch(() => undefined);
    if (!record) return { summary: undefined, changes: [], pending };
    const summary = record.synthesis === undefined ? undefined : await Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.file(path.join(record.folder, record.synthesis)))).then((bytes) => new TextDecoder().decode(bytes), () => undefined);
    return { summary, changes: record.changes ?? [], pending };
  }
}

/**
 * Registers the tool where VS Code has the API; `registered` says whether it did. Elsewhere (an editor
 * without `vscode.lm.registerTool`, or one that refuses it) the extension works the same, and the
 * reason is logged.
 */
export function registerRunTool(tool: RunTool, log: (message: string) => void): { registered: boolean; disposable: vscode.Disposable } {
  const none = { registered: false, disposable: new vscode.Disposable(() => undefined) };
  const api = (vscode as { lm?: Partial<ToolApi> }).lm;
  if (typeof api?.registerTool !== 'function' || typeof vscode.LanguageModelToolResult !== 'function') {
    log('the language model tool "Run an electrictown team" is not offered: this VS Code has no vscode.lm.registerTool');
    return none;
  }
  try {
    return { registered: true, disposable: api.registerTool(RUN_TOOL_NAME, tool) };
  } catch (error) {
    log(`the language model tool "Run an electrictown team" is not offered: ${error instanceof Error ? error.message : String(error)}`);
    return none;
  }
}
