// Files that make tools run commands when a user merely opens, enters or builds the project: a VS Code
// task that runs on folder open, settings that name an executable, direnv's .envrc, npm lifecycle
// scripts, git hooks managers, a submodule's `update = !command`. A model that writes one (a prompt-
// injected file in the project is enough to ask it to) could run code on the user's machine without
// the user running anything. Such a change is held for review, never applied on its own — unless the
// subtask asked for exactly that file or hook. Pure.

/** npm runs these on `npm install` (or `npm ci`) with no one asking. */
const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare', 'prepublish', 'dependencies'];

/** VS Code settings whose value is a program or a path that a tool runs. */
const EXECUTABLE_SETTING = /"[^"]*(?:path|executable|command|runtime|shell|tsdk|interpreter|alternateTools|serverPath|binary)[^"]*"\s*:/i;

function scriptsOf(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  try {
    const parsed = JSON.parse(text) as { scripts?: Record<string, unknown> };
    return parsed?.scripts ?? {};
  } catch {
    return {};
  }
}

/** Lines of `after` that `before` does not have: what the change added. */
function addedText(before: string | undefined, after: string): string {
  const old = new Set((before ?? '').split('\n'));
  return after.split('\n').filter((line) => !old.has(line)).join('\n');
}

/** Why this change would run code on open, enter or build; undefined when it would not. */
export function runsCode(path: string, before: string | undefined, after: string): string | undefined {
  const name = path.split('/').pop() ?? path;
  const added = addedText(before, after);
  if (/(^|\/)\.vscode\/tasks\.json$/.test(path) && /"runOn"\s*:\s*"folderOpen"/.test(added)) return 'a VS Code task that runs when the folder is opened (runOn: folderOpen)';
  if (/(^|\/)\.vscode\/(settings\.json|[^/]+\.code-workspace)$/.test(path) && EXECUTABLE_SETTING.test(added)) return 'VS Code settings that name a program a tool runs';
  if (name.endsWith('.code-workspace') && EXECUTABLE_SETTING.test(added)) return 'workspace settings that name a program a tool runs';
  if (name === '.envrc' || name === '.env.sh') return 'direnv runs .envrc when a shell enters the folder';
  if (name === 'package.json') {
    const old = scriptsOf(before);
    const next = scriptsOf(after);
    const changed = LIFECYCLE.filter((hook) => next[hook] !== undefined && next[hook] !== old[hook]);
    if (changed.length > 0) return `npm lifecycle script${changed.length === 1 ? '' : 's'} ${changed.join(', ')}, which npm install runs`;
  }
  if (/(^|\/)\.husky\//.test(path) || name === '.pre-commit-config.yaml' || name === 'lefthook.yml' || name === '.lefthook.yml') return 'a git hook that runs on commit';
  if (name === '.gitmodules' && /update\s*=\s*!/.test(added)) return 'a submodule update command (update = !…)';
  if (name === '.gitconfig' || /(^|\/)\.git\//.test(path)) return "git's own configuration";
  return undefined;
}

/** Whether the subtask asked for this file or its hook by name: then it is what the user wanted. */
export function askedFor(path: string, subtaskText: string): boolean {
  const name = path.split('/').pop() ?? path;
  const text = subtaskText.toLowerCase();
  if (text.includes(path.toLowerCase()) && name !== 'package.json' && name !== 'settings.json') return true;
  return LIFECYCLE.some((hook) => name === 'package.json' && new RegExp(`\\b${hook}\\b`).test(text)) || (name === 'tasks.json' && /folder ?open/.test(text));
}
