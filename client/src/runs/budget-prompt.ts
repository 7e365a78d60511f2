// A run reached its budget: the editor asks whether to go on. A warning notification with "Raise to $X"
// (the server's suggestion), "Raise to…" (an amount typed in) and "Stop"; closing it stops the run, as
// the server does itself if nobody answers.
import * as vscode from 'vscode';
import type { BudgetReachedParams } from '../../../server/src/protocol';

const usd = (value: number, digits = 2) => `$${value.toFixed(digits)}`;

/** A typed amount: a number above the budget, with or without `$`; the message says what is wrong. */
export function checkAmount(text: string, limitUsd: number): string | undefined {
  const amount = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!amount) return 'An amount in US dollars, like 2 or 2.50';
  if (Number(amount[1]) <= limitUsd) return `More than the budget of ${usd(limitUsd)}`;
  return undefined;
}

export async function askToRaiseBudget(params: BudgetReachedParams, token?: vscode.CancellationToken): Promise<{ raiseToUsd?: number }> {
  const task = params.task.length > 60 ? `${params.task.slice(0, 59)}…` : params.task;
  const raise = `Raise to ${usd(params.suggestedUsd)}`;
  const other = 'Raise to…';
  const message = `Electrictown: "${task}" reached its budget of ${usd(params.limitUsd)} (${usd(params.spentUsd, 4)} spent). Raise it to go on, or stop: the work done so far is kept.`;
  const choice = await vscode.window.showWarningMessage(message, raise, other, 'Stop');
  if (token?.isCancellationRequested) return {};
  if (choice === raise) return { raiseToUsd: params.suggestedUsd };
  if (choice !== other) return {};
  const typed = await vscode.window.showInputBox({ title: 'Raise the run’s budget', prompt: `The new budget in US dollars (now ${usd(params.limitUsd)})`, value: params.suggestedUsd.toFixed(2), validateInput: (text) => checkAmount(text, params.limitUsd) }, token);
  if (typed === undefined || checkAmount(typed, params.limitUsd) !== undefined) return {};
  return { raiseToUsd: Number(/(\d+(?:\.\d+)?)/.exec(typed)?.[1]) };
}
