import assert from 'node:assert/strict';
import { Budget, BudgetReachedError, leastPromptUsd, RESERVED_OUTPUT_TOKENS, worstCase } from '../../../server/src/run/budget';

describe('the run’s budget', () => {
  it('allows everything without a limit, and still counts the spend', () => {
    const budget = new Budget(null);
    budget.record(1_000_000);
    assert.equal(budget.allows(1_000_000), true);
    assert.equal(budget.exceeded, false);
    assert.equal(budget.spent, 1_000_000);
  });

  it('refuses a call whose least cost would pass the limit, and every call after it, free ones too', () => {
    const budget = new Budget(1);
    budget.record(0.6);
    assert.equal(budget.allows(0.4), true, 'reaching the limit exactly is within it');
    assert.equal(budget.exceeded, false);
    assert.equal(budget.allows(0.41), false);
    assert.equal(budget.exceeded, true);
    assert.equal(budget.allows(0), false, 'once refused, a free call is refused too');
    assert.equal(budget.allows(0.01), false);
    assert.equal(budget.spent, 0.6, 'a refused call spends nothing');
  });

  it('refuses the next call once the recorded spend reaches the limit', () => {
    const budget = new Budget(0.5);
    budget.record(0.2);
    assert.equal(budget.allows(0), true);
    budget.record(0.3);
    assert.equal(budget.exceeded, false, 'only a call asked for finds the limit reached');
    assert.equal(budget.allows(0), false);
    assert.equal(budget.exceeded, true);
  });

  it('adds nothing for an unpriced call', () => {
    const budget = new Budget(0.5);
    budget.record(0.25);
    budget.record(null);
    budget.record(null);
    assert.equal(budget.spent, 0.25);
    assert.equal(budget.allows(0.25), true);
  });

  it('says in its error what the limit was and what was spent', () => {
    const error = new BudgetReachedError(2, 2.01234);
    assert.equal(error.name, 'BudgetReachedError');
    assert.equal(error.message, 'the budget of $2.00 is reached ($2.0123 spent)');
  });
});

describe('the budget as a ceiling', () => {
  it('reserves each attempt’s worst case, so attempts under way can never pass the limit together', () => {
    const budget = new Budget(1);
    assert.equal(budget.reserve(0.4), true);
    assert.equal(budget.reserve(0.4), true);
    assert.equal(budget.reserved, 0.8);
    assert.equal(budget.reserve(0.3), false, 'a third would pass the limit if all wrote their whole cap');
    assert.equal(budget.exceeded, true);
    // The two under way cost less than their worst case; the difference is released.
    budget.settle(0.4, 0.1);
    budget.settle(0.4, 0.25);
    assert.deepEqual([budget.reserved, budget.spent], [0, 0.35]);
    assert.equal(budget.reserve(0.01), false, 'once reached, nothing more starts');
  });

  it('lets anything through without a limit, and counts unpriced attempts as nothing', () => {
    const budget = new Budget(null);
    assert.equal(budget.reserve(1e9), true);
    budget.settle(0, null);
    assert.equal(budget.spent, 0);
  });
});

describe('an attempt’s worst case', () => {
  it('is the prompt with a margin and every output token it may write, capped when nothing caps it', () => {
    assert.deepEqual(worstCase({ input: 2, output: 8 }, 1000, 500), { usd: (1000 * 1.25 * 2 + 500 * 8) / 1e6, cap: undefined });
    assert.deepEqual(worstCase({ input: 2, output: 8 }, 1000, undefined), { usd: (1000 * 1.25 * 2 + RESERVED_OUTPUT_TOKENS * 8) / 1e6, cap: RESERVED_OUTPUT_TOKENS });
    assert.deepEqual(worstCase(undefined, 1000, undefined), { usd: 0, cap: RESERVED_OUTPUT_TOKENS });
  });

  it('reserves a prompt that asks for caching at the cache-write price when writes cost more, as it may be a write', () => {
    const sonnet = { input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 };
    assert.deepEqual(worstCase(sonnet, 1000, 500, true), { usd: (1000 * 1.25 * 3.75 + 500 * 15) / 1e6, cap: undefined });
    assert.deepEqual(worstCase(sonnet, 1000, 500, false), { usd: (1000 * 1.25 * 3 + 500 * 15) / 1e6, cap: undefined });
    // Where writes are free (OpenAI, Gemini), the input price is already the worst.
    assert.deepEqual(worstCase({ input: 2, output: 8, cache_read: 1, cache_write: 2 }, 1000, 500, true), worstCase({ input: 2, output: 8 }, 1000, 500));
  });
});

describe('a prompt’s least cost', () => {
  it('is all of it read from the cache, where that is cheaper than input', () => {
    assert.equal(leastPromptUsd({ input: 3, output: 15, cache_read: 0.3, cache_write: 3.75 }, 1_000_000), 0.3);
    assert.equal(leastPromptUsd({ input: 3, output: 15 }, 1_000_000), 3);
    assert.equal(leastPromptUsd(undefined, 1_000_000), 0);
  });
});
