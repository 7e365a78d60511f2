import assert from 'node:assert/strict';
import { boundFindings, MAX_MESSAGE_CHARS, MAX_PER_FILE, MAX_PER_RUN } from '../../../server/src/run/bound-findings';
import { parseReview } from '../../../server/src/run/review';

const finding = (file: string, line: number | undefined, message = 'm') => ({ file, line, column: undefined, severity: 'warning' as const, message });

describe('the witness’s findings, bounded', () => {
  it('drops lines past the file’s end, brings 0 and less to 1, and cuts long messages', () => {
    const { kept, dropped } = boundFindings([finding('a.ts', 1e20), finding('a.ts', 2 ** 31), finding('a.ts', 0), finding('a.ts', -5), finding('a.ts', 3, 'x'.repeat(5000)), finding('a.ts', 11)], () => 10);
    assert.deepEqual(kept.map((kept) => kept.line), [1, 1, 3]);
    assert.equal(kept[2].message.length, MAX_MESSAGE_CHARS + 1);
    assert.equal(dropped, 3);
  });

  it('keeps 200 a file and 2,000 a run of a 100,000-finding review, counting the rest', () => {
    const answer = ['SCORE: 1', 'REASON: everything', 'FINDINGS:', ...Array.from({ length: 100_000 }, (_, index) => `- f${index % 50}.ts:${(index % 90) + 1}: warning: issue ${index}`)].join('\n');
    const review = parseReview(answer);
    const { kept, dropped } = boundFindings(review.findings, () => 100);
    assert.equal(review.findings.length, 100_000);
    assert.equal(kept.length, MAX_PER_RUN);
    assert.equal(dropped, 100_000 - MAX_PER_RUN);
    assert.ok(kept.filter((kept) => kept.file === 'f0.ts').length <= MAX_PER_FILE);
    assert.equal(boundFindings(Array.from({ length: 500 }, () => finding('one.ts', 1)), () => 10).kept.length, MAX_PER_FILE);
  });
});
