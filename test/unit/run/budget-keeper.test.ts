import assert from 'node:assert/strict';
import { Budget, BudgetReachedError } from '../../../server/src/run/budget';
import { BudgetKeeper, SubtaskLimitError, suggestedLimit, type BudgetQuestion } from '../../../server/src/run/budget-keeper';
import { budgetQuestionText, readBudgetAnswer } from '../../../server/src/cli/budget-question';

const NO_LIMITS = { subtaskUsd: null, maxTurns: null };

describe('the budget keeper', () => {
  it('asks once for callers that reach the budget together, and lets them all go on under the raise', async () => {
    const questions: BudgetQuestion[] = [];
    let answer: (usd: number | undefined) => void = () => undefined;
    const keeper = new BudgetKeeper(new Budget(1, 0.9), NO_LIMITS, (question) => {
      questions.push(question);
      return new Promise((resolve) => (answer = resolve));
    });
    const waiting = [keeper.reserve(0.2), keeper.reserve(0.3), keeper.allows(0.2)];
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(questions.length, 1);
    assert.equal(keeper.stopped, false, 'a question under way is not a stop');
    assert.deepEqual(questions[0], { limitUsd: 1, spentUsd: 0.9, reservedUsd: 0, neededUsd: 0.2, suggestedUsd: 2 });
    answer(3);
    assert.deepEqual(await Promise.all(waiting), [true, true, true]);
    assert.deepEqual([keeper.run.limitUsd, keeper.run.reserved, keeper.raises], [3, 0.5, [{ fromUsd: 1, toUsd: 3 }]]);
  });

  it('stops for good when the user declines, answers no more than the limit, or nobody can be asked', async () => {
    let asked = 0;
    const declined = new BudgetKeeper(new Budget(1, 0.9), NO_LIMITS, async () => (asked++, 1));
    assert.equal(await declined.reserve(0.2), false);
    assert.equal(await declined.reserve(0.2), false);
    assert.deepEqual([asked, declined.stopped], [1, true]);
    const nobody = new BudgetKeeper(new Budget(1, 0.9), NO_LIMITS, undefined);
    assert.equal(await nobody.reserve(0.2), false);
    const failing = new BudgetKeeper(new Budget(1, 0.9), NO_LIMITS, () => Promise.reject(new Error('the client went away')));
    assert.equal(await failing.reserve(0.2), false);
    assert.equal(await new BudgetKeeper(new Budget(null), NO_LIMITS, undefined).reserve(1000), true);
  });

  it('keeps each subtask to its own cap and turns, and gives its share back when the run refuses the attempt', async () => {
    const keeper = new BudgetKeeper(new Budget(1), { subtaskUsd: 0.1, maxTurns: 2 }, undefined);
    await keeper.reserveAttempt({ index: 1, spentUsd: 0.05 }, 0.04);
    await assert.rejects(keeper.reserveAttempt({ index: 1, spentUsd: 0.05 }, 0.02), (error: unknown) => error instanceof SubtaskLimitError && /subtask 1 reached its budget of \$0\.10 \(\$0\.0500 spent; --subtask-budget\)/.test(error.message));
    // Once refused, the subtask stays refused: it fails, it does not trickle on.
    keeper.settle(1, 0.04, 0.01);
    await assert.rejects(keeper.reserveAttempt({ index: 1, spentUsd: 0.06 }, 0.01), SubtaskLimitError);
    // What an attempt cost comes off its reservation: $0.03 of $0.04 is free again.
    await keeper.reserveAttempt({ index: 2, spentUsd: 0 }, 0.04);
    keeper.settle(2, 0.04, 0.01);
    await keeper.reserveAttempt({ index: 2, spentUsd: 0 }, 0.09);
    // The run refuses what the subtask allows: the run's error, and nothing stays reserved for it.
    const small = new BudgetKeeper(new Budget(0.1), { subtaskUsd: 0.1, maxTurns: null }, undefined);
    await small.reserveAttempt({ index: 1, spentUsd: 0 }, 0.08);
    await assert.rejects(small.reserveAttempt({ index: 2, spentUsd: 0 }, 0.05), BudgetReachedError);
    assert.equal(small.run.reserved, 0.08);
    keeper.takeTurn(3);
    keeper.takeTurn(3);
    assert.throws(() => keeper.takeTurn(3), /subtask 3 used its 2 turns \(--max-turns\)/);
  });

  it('suggests double the budget, or room for a few more calls like the one that did not fit', () => {
    assert.equal(suggestedLimit({ limitUsd: 0.5, spentUsd: 0.45, reservedUsd: 0, neededUsd: 0.1 }), 1);
    assert.equal(suggestedLimit({ limitUsd: 0.5, spentUsd: 0.45, reservedUsd: 0.05, neededUsd: 0.3 }), 1.7);
  });
});

describe('the budget question in a terminal', () => {
  const question: BudgetQuestion = { limitUsd: 0.5, spentUsd: 0.4812, reservedUsd: 0.01, neededUsd: 0.04, suggestedUsd: 1 };

  it('says what was spent, what is held and what the next call needs', () => {
    assert.equal(budgetQuestionText(question), '\nThe budget of $0.50 is reached: $0.4812 spent, $0.0100 held by calls under way; the next call may cost up to $0.0400.\nRaise it to $1.00 (Enter), to another amount, or stop (s)? ');
  });

  it('reads Enter as the suggestion, amounts with or without $, stop words and the end of input', () => {
    assert.deepEqual(readBudgetAnswer('', question), { raiseToUsd: 1 });
    assert.deepEqual(readBudgetAnswer(' $2.50 ', question), { raiseToUsd: 2.5 });
    assert.deepEqual(readBudgetAnswer('3', question), { raiseToUsd: 3 });
    for (const stop of ['s', 'STOP', 'n', 'q']) assert.deepEqual(readBudgetAnswer(stop, question), { stop: true });
    assert.deepEqual(readBudgetAnswer(undefined, question), { stop: true });
    assert.match((readBudgetAnswer('0.4', question) as { again: string }).again, /\$0\.40 is not above the budget of \$0\.50/);
    assert.match((readBudgetAnswer('more', question) as { again: string }).again, /"more" is not an amount/);
  });
});
