// The questions `et run` asks in a terminal while a run waits: raise the budget? approve the plan? The
// live lines are held while one is asked, so the question and its answer are not drawn over.
import type { AskToRaise } from '../run/budget-keeper';
import type { ApprovePlan } from '../run/plan-approval';
import { budgetQuestionText, readBudgetAnswer } from './budget-question';
import type { CliContext } from './context';
import { planQuestionText, readPlanAnswer } from './plan-question';

type Ask = NonNullable<CliContext['ask']>;

/** What holds the run's live output while a question is on the terminal. */
export interface Pausable {
  pause?(): void;
  resume?(): void;
}

async function whilePaused<T>(reporter: Pausable, question: () => Promise<T>): Promise<T> {
  reporter.pause?.();
  try {
    return await question();
  } finally {
    reporter.resume?.();
  }
}

/** The budget question: asked again on an answer that is no amount, at most three times. */
export function askInTerminal(ask: Ask, reporter: Pausable): AskToRaise {
  return (question) =>
    whilePaused(reporter, async () => {
      let text = budgetQuestionText(question);
      for (let tries = 0; tries < 3; tries++) {
        const answer = readBudgetAnswer(await ask(text), question);
        if ('raiseToUsd' in answer) return answer.raiseToUsd;
        if ('stop' in answer) return undefined;
        text = `${answer.again}. `;
      }
      return undefined;
    });
}

/** The plan question; an edit is typed line by line, ended by an empty line. */
export function approveInTerminal(ask: Ask, reporter: Pausable): ApprovePlan {
  return (request) =>
    whilePaused(reporter, async () => {
      let text = planQuestionText(request);
      for (let tries = 0; tries < 3; tries++) {
        const answer = readPlanAnswer(await ask(text));
        if (answer === 'approve' || answer === 'cancel') return { kind: answer };
        if (answer === 'edit') {
          const lines: string[] = [];
          for (let line = await ask('The plan, one subtask per line (`N. text [files: …] [depends: …]`); an empty line ends it:\n'); line !== undefined && line.trim() !== ''; line = await ask('')) lines.push(line);
          if (lines.length > 0) return { kind: 'edit', text: lines.join('\n') };
          text = `No plan was typed. ${planQuestionText(request)}`;
          continue;
        }
        text = `${answer.again}. `;
      }
      return { kind: 'cancel' };
    });
}
