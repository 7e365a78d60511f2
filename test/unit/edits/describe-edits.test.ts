import assert from 'node:assert/strict';
import { applyEdits, type AppliedEdit } from '../../../server/src/edits/apply-edits';
import { describeEdits } from '../../../server/src/edits/describe-edits';
import type { EditBlock } from '../../../server/src/edits/parse-answer';

const block = (search: string, replace: string): EditBlock => ({ path: 'handler.go', search, replace, line: 1, format: 'aider' });

function applied(current: string | undefined, blocks: EditBlock[]): AppliedEdit[] {
  const result = applyEdits(current, blocks);
  assert.ok(result.ok);
  return result.applied;
}

describe('describeEdits', () => {
  const file = `${Array.from({ length: 50 }, (_, index) => `line ${index + 1}`).join('\n')}\n`;

  it('sums up a file’s blocks: how many, how each matched, where, lines added and removed', () => {
    const edits = applied(file, [block('line 12\nline 13\n', 'a\nb\nc\nd\ne\nf\ng\nh\n'), block('  line 46\n', '  line 46\n    added\n')]);
    // Line 46 of the file is line 52 once the first block has added 6 lines.
    assert.equal(describeEdits('handler.go', edits), 'handler.go: 2 blocks (1 exact, 1 whitespace), lines 12–13 and 52, +10 −3');
  });

  it('names one block’s kind, a single line, an append and a new file', () => {
    assert.equal(describeEdits('handler.go', applied(file, [block('line 40\n', 'line 40\nline 40b\n')])), 'handler.go: 1 block (exact), line 40, +2 −1');
    assert.equal(describeEdits('handler.go', applied(file, [block('line 1\n', 'x\n'), block('', 'tail\n')])), 'handler.go: 2 blocks (1 exact, 1 append), line 1 and end (after line 50), +2 −1');
    assert.equal(describeEdits('new.go', applied(undefined, [block('', 'package a\n\nfunc A() {}\n')])), 'new.go: 1 block (create), new file, +3 −0');
    assert.equal(describeEdits('handler.go', []), 'handler.go: no blocks');
  });
});
