import assert from 'node:assert/strict';
import { parseReview } from '../../../server/src/run/review';

describe('the witness’s review', () => {
  it('reads the score, the reason and findings as PATH:LINE[:COL]: severity: message', () => {
    const review = parseReview(['SCORE: 4', 'REASON: the handler never validates input', '', 'Findings:', '- src/api.ts:12:5: error: req.body is used unchecked', '* `src/db.ts`:3: warning: the pool is never closed', 'src/db.ts:9: suggestion: name the constant'].join('\n'));
    assert.equal(review.score, 4);
    assert.equal(review.reason, 'the handler never validates input');
    assert.deepEqual(review.findings, [
      { file: 'src/api.ts', line: 12, column: 5, severity: 'error', message: 'req.body is used unchecked' },
      { file: 'src/db.ts', line: 3, column: undefined, severity: 'warning', message: 'the pool is never closed' },
      { file: 'src/db.ts', line: 9, column: undefined, severity: 'hint', message: 'name the constant' },
    ]);
  });

  it('reads the shapes models vary on, and a missing score as none', () => {
    assert.equal(parseReview('**SCORE:** 8\n**REASON:** fine').score, 8);
    assert.equal(parseReview('**SCORE:** 8\n**REASON:** fine').reason, 'fine');
    assert.equal(parseReview('Score: 7/10').score, 7);
    assert.equal(parseReview('score 3 / 5').score, 6);
    assert.equal(parseReview('SCORE: 14').score, 10);
    assert.equal(parseReview('Looks good to me.').score, undefined);
  });
});
