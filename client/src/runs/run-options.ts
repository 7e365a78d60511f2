// Run Task's inputs: the task (typed, or picked from the history) and the options — output folder,
// workers, iterate, budget — whose last values are remembered per workspace, starting from the settings;
// and the files in context (the active one, and any added), which are per run.
import * as vscode from 'vscode';
import { SECTION } from '../settings';
import { describeFiles } from './editor-context';

export interface RunChoices {
  outputDir: string;
  workers: number;
  iterate: boolean;
  maxIterations: number;
  /** null: no budget. */
  budgetUsd: number | null;
  /** Absolute paths of the files the mayor and workers are shown; per run, never remembered. */
  files?: string[];
}

/** Files offered by "Add files…", at most. */
const FILES_OFFERED = 5000;

const HISTORY_KEY = 'electrictown.taskHistory';
const CHOICES_KEY = 'electrictown.runChoices';
const HISTORY_LENGTH = 20;

export function settingsChoices(): RunChoices {
  const settings = vscode.workspace.getConfiguration(SECTION);
  const budget = settings.get<number | null>('budgetUsd', null);
  return {
    outputDir: settings.get<string>('outputDir', '.'),
    workers: settings.get<number>('workers', 8),
    iterate: settings.get<boolean>('iterate', false),
    maxIterations: settings.get<number>('maxIterations', 3),
    budgetUsd: typeof budget === 'number' && budget > 0 ? budget : null,
  };
}

/** The history with `task` first, without repeats, at most HISTORY_LENGTH long. Pure. */
export function withTask(history: readonly string[], task: string): string[] {
  return [task, ...history.filter((known) => known !== task)].slice(0, HISTORY_LENGTH);
}

export class RunInputs {
  constructor(private readonly state: vscode.Memento) {}

  history(): string[] {
    return this.state.get<string[]>(HISTORY_KEY, []);
  }

  choices(): RunChoices {
    return { ...settingsChoices(), ...this.state.get<Partial<RunChoices>>(CHOICES_KEY, {}) };
  }

  async remember(task: string, choices: RunChoices): Promise<void> {
    const { files: _perRun, ...kept } = choices;
    await this.state.update(HISTORY_KEY, withTask(this.history(), task));
    await this.state.update(CHOICES_KEY, kept);
  }

  /** A box to type the task in, with earlier tasks offered below it. */
  askTask(title = 'Electrictown: Run Task', placeholder = 'Describe the task for the mayor (Enter to continue; earlier tasks below)'): Promise<string | undefined> {
    const pick = vscode.window.createQuickPick();
    pick.title = title;
    pick.placeholder = placeholder;
    pick.ignoreFocusOut = true;
    const earlier = this.history().map((task) => ({ label: task.split('\n')[0], detail: task.includes('\n') ? task : undefined, task, description: 'earlier task' }));
    const update = () => {
      const typed = pick.value.trim();
      pick.items = typed ? [{ label: typed, task: typed, description: 'new task', detail: undefined }, ...earlier.filter((item) => item.task !== typed)] : earlier;
    };
    update();
    pick.onDidChangeValue(update);
    return new Promise((resolve) => {
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] as (typeof earlier)[number] | undefined;
        resolve(chosen?.task ?? (pick.value.trim() || undefined));
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        pick.dispose();
      });
      pick.show();
    });
  }

  /** The options, each editable, until "Run" is picked. Undefined when the user backs out. */
  async askChoices(start: RunChoices, trusted: boolean, active?: string): Promise<RunChoices | undefined> {
    let choices = { ...start };
    for (;;) {
      const items: (vscode.QuickPickItem & { key: Exclude<keyof RunChoices, 'maxIterations'> | 'run' })[] = [
        { key: 'run', label: '$(play) Run', description: 'with these options' },
        { key: 'files', label: '$(files) Files in context', description: describeFiles(choices.files ?? [], active), detail: 'Add files… to show them whole to every worker' },
        { key: 'outputDir', label: '$(folder) Output folder', description: choices.outputDir },
        { key: 'workers', label: '$(organization) Workers', description: String(choices.workers) },
        { key: 'iterate', label: '$(sync) Iterate until it builds', description: choices.iterate ? `on, up to ${choices.maxIterations} builds` : 'off', detail: trusted ? undefined : 'Needs a trusted workspace: no build command runs in an untrusted one.' },
        { key: 'budgetUsd', label: '$(credit-card) Budget', description: choices.budgetUsd === null ? 'none' : `$${choices.budgetUsd}` },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'Electrictown: Run Task — options', placeHolder: 'Pick Run, or an option to change it', ignoreFocusOut: true });
      if (!picked) return undefined;
      if (picked.key === 'run') return choices;
      const changed = await askOne(picked.key, choices, trusted);
      if (changed) choices = changed;
    }
  }
}

/** "Add files…": the workspace's files, the chosen ones ticked; undefined when the user backs out. */
async function pickFiles(chosen: readonly string[]): Promise<string[] | undefined> {
  const found = await vscode.workspace.findFiles('**/*', '{**/node_modules/**,**/.git/**}', FILES_OFFERED);
  const known = new Set(found.map((uri) => uri.fsPath));
  const items = [...chosen.filter((file) => !known.has(file)).map((file) => vscode.Uri.file(file)), ...found]
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri, picked: chosen.includes(uri.fsPath) }))
    .sort((a, b) => Number(b.picked) - Number(a.picked) || a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { title: 'Electrictown: files in context', placeHolder: 'Tick the files the mayor and every worker should see', canPickMany: true, matchOnDescription: true, ignoreFocusOut: true });
  return picked?.map((item) => item.uri.fsPath);
}

async function askOne(key: Exclude<keyof RunChoices, 'maxIterations'>, choices: RunChoices, trusted: boolean): Promise<RunChoices | undefined> {
  switch (key) {
    case 'files': {
      const files = await pickFiles(choices.files ?? []);
      return files === undefined ? undefined : { ...choices, files };
    }
    case 'outputDir': {
      const value = await vscode.window.showInputBox({ title: 'Output folder', prompt: 'Relative to the workspace folder', value: choices.outputDir, validateInput: (text) => (text.trim() === '' ? 'Type a folder; . is the workspace' : undefined) });
      return value === undefined ? undefined : { ...choices, outputDir: value.trim() };
    }
    case 'workers': {
      const value = await vscode.window.showInputBox({ title: 'Workers', prompt: 'Subtasks running at once', value: String(choices.workers), validateInput: (text) => (/^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= 64 ? undefined : 'A whole number from 1 to 64') });
      return value === undefined ? undefined : { ...choices, workers: Number(value) };
    }
    case 'iterate': {
      if (!trusted) {
        const choice = await vscode.window.showWarningMessage('Iterating runs the project’s build command, which an untrusted workspace does not allow.', 'Manage Workspace Trust');
        if (choice) await vscode.commands.executeCommand('workbench.trust.manage');
        return undefined;
      }
      return { ...choices, iterate: !choices.iterate };
    }
    case 'budgetUsd': {
      const value = await vscode.window.showInputBox({ title: 'Budget (USD)', prompt: 'No new model calls once the run would pass it. Empty: no budget.', value: choices.budgetUsd === null ? '' : String(choices.budgetUsd), validateInput: (text) => (text.trim() === '' || (Number(text) > 0 && Number.isFinite(Number(text))) ? undefined : 'A positive amount, e.g. 0.50, or empty') });
      return value === undefined ? undefined : { ...choices, budgetUsd: value.trim() === '' ? null : Number(value) };
    }
  }
}
