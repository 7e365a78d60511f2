// The question `et run` asks in a terminal when the run reaches its budget, and how the answer is read:
// Enter takes the suggested limit, an amount (`2`, `$2.50`) sets one, `s`/`stop`/`n` or the end of input
// stops. Pure.
import type { BudgetQuestion } from '../run/budget-keeper';

const usd = (value: number, digits = 2) => `$${value.toFixed(digits)}`;

export function budgetQuestionText(question: BudgetQuestion): string {
  const held = question.reservedUsd > 0 ? `, ${usd(question.reservedUsd, 4)} held by calls under way` : '';
  return `\nThe budget of ${usd(question.limitUsd)} is reached: ${usd(question.spentUsd, 4)} spent${held}; the next call may cost up to ${usd(question.neededUsd, 4)}.\nRaise it to ${usd(question.suggestedUsd)} (Enter), to another amount, or stop (s)? `;
}

export type BudgetAnswer = { raiseToUsd: number } | { stop: true } | { again: string };

export function readBudgetAnswer(answer: string | undefined, question: BudgetQuestion): BudgetAnswer {
  if (answer === undefined) return { stop: true };
  const text = answer.trim();
  if (text === '') return { raiseToUsd: question.suggestedUsd };
  if (/^(s|stop|n|no|q|quit)$/i.test(text)) return { stop: true };
  const amount = /^\$?\s*(\d+(?:\.\d+)?)$/.exec(text);
  if (!amount) return { again: `"${text}" is not an amount: answer like 2 or $2.50, Enter for ${usd(question.suggestedUsd)}, or s to stop` };
  const value = Number(amount[1]);
  if (value <= question.limitUsd) return { again: `${usd(value)} is not above the budget of ${usd(question.limitUsd)}` };
  return { raiseToUsd: value };
}
