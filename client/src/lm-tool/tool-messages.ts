// What the user is asked before an agent's run starts, and what the chat shows while it runs: the
// task, the budget and where it comes from, the workspace folder, and that it costs money and comes
// back as proposals. Markdown text; the task is fenced, so an agent's words cannot render as links or
// headings in the question. Pure.
import type { RunToolInput } from './tool-input';

export const INVOCATION_MESSAGE = 'Running an electrictown team…';
export const CONFIRMATION_TITLE = 'Run an electrictown team?';

export interface ConfirmationFacts {
  input: RunToolInput;
  /** Run Task's budget when the agent gives none: the `electrictown.budgetUsd` setting or the user's last run; null: none. */
  defaultBudgetUsd: number | null;
  /** What the server read from the config; undefined when it could not say (not running, no config, errors). */
  config: { path: string; budgetUsd: number | null } | undefined;
  /** The workspace folder's name and path. */
  folder: { name: string; path: string } | undefined;
  /** The output folder the run will use, relative to the workspace folder. */
  outputDir: string;
  workers: number;
  /** Whether the run iterates: the agent's choice, else Run Task's. */
  iterate: boolean;
  /** `electrictown.approvePlan`: the plan and its estimate are shown before any worker starts. */
  approvePlan: boolean;
}

/** The budget line: the amount, and whose it is (in the order the run takes them). */
export function budgetText(given: number | undefined, defaultBudgetUsd: number | null, config: ConfirmationFacts['config']): string {
  if (given !== undefined) return `$${given.toFixed(2)} (asked for by the agent)`;
  if (defaultBudgetUsd !== null) return `$${defaultBudgetUsd.toFixed(2)} (Run Task's budget: the electrictown.budgetUsd setting or your last run)`;
  if (config === undefined) return "the config's `defaults.budget_usd`, if it sets one; otherwise no limit";
  if (config.budgetUsd !== null) return `$${config.budgetUsd.toFixed(2)} (the config's \`defaults.budget_usd\`)`;
  return '**none**: no limit (neither the agent, Run Task nor the config sets one)';
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

/** The confirmation's body, as Markdown. */
export function confirmationMessage(facts: ConfirmationFacts): string {
  const { input } = facts;
  const where = facts.folder ? `${facts.folder.name} (${facts.folder.path})` : 'no folder is open: the server’s working directory';
  const iterate = facts.iterate ? 'on: the build runs, and files are written to disk (not proposed) so it can read them' : 'off';
  const lines = [
    'An agent asks to hand this task to your electrictown team (mayor, workers, witness, refinery):',
    '',
    fenced(input.task),
    '',
    `- **Budget:** ${budgetText(input.budgetUsd, facts.defaultBudgetUsd, facts.config)}`,
    `- **Workspace folder:** ${where}; output folder \`${facts.outputDir}\``,
    `- **Workers:** ${facts.workers}; **iterate:** ${iterate}`,
    ...(facts.config ? [`- **Config:** ${facts.config.path}`] : []),
    ...(input.files.length + input.context.length > 0 ? [`- **Shown to the team:** ${[...input.files, ...input.context].map((file) => `\`${file.replaceAll('`', "'")}\``).join(', ')}`] : []),
    '',
    'Its model calls cost money, charged to your providers’ keys; the run shows in Runs and Costs.',
    facts.iterate ? 'With iterate, files are written as the run goes (Undo does not take them back).' : 'Its files come back as proposals in the Changes view: nothing is applied until you accept it.',
    ...(facts.approvePlan ? ['You will see the plan, and the most it can cost, before any worker starts (electrictown.approvePlan).'] : []),
  ];
  return lines.join('\n');
}
