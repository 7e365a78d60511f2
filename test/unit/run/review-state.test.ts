// The review state in a run folder: decisions (pending again forgets one), fixed findings, a broken file
// named in the error, and changes made at once that all land.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decide, decisionOf, emptyReviewState, isFixed, markFixed, readReviewState, REVIEW_FILE, ReviewStateError, ReviewStates } from '../../../server/src/run/review-state';

describe('a run’s review state', () => {
  it('decides files, and forgets a decision made pending again', () => {
    let state = decide(emptyReviewState(), ['a.ts', 'b.ts'], 'accepted', '2026-01-01T00:00:00Z');
    assert.deepEqual([decisionOf(state, 'a.ts'), decisionOf(state, 'b.ts'), decisionOf(state, 'c.ts')], ['accepted', 'accepted', 'pending']);
    state = decide(state, ['a.ts'], 'pending', '2026-01-01T00:01:00Z');
    assert.deepEqual(state.files, { 'b.ts': { decision: 'accepted', at: '2026-01-01T00:00:00Z' } });
  });

  it('keeps a file accepted hunk by hunk as accepted partly, and reads it back', async () => {
    const state = decide(decide(emptyReviewState(), ['a.ts'], 'accepted', 'T1', true), ['b.ts'], 'discarded', 'T2', true);
    // Only an accept can be partly one.
    assert.deepEqual(state.files, { 'a.ts': { decision: 'accepted', at: 'T1', partly: true }, 'b.ts': { decision: 'discarded', at: 'T2' } });
    const folder = mkdtempSync(path.join(tmpdir(), 'et-review-'));
    await new ReviewStates().update(folder, () => state);
    assert.deepEqual(await readReviewState(folder), state);
  });

  it('marks a finding fixed once', () => {
    const finding = { path: 'a.ts', line: 3, message: 'name it' };
    const state = markFixed(markFixed(emptyReviewState(), finding), { ...finding });
    assert.equal(state.fixed.length, 1);
    assert.equal(isFixed(state, finding), true);
    assert.equal(isFixed(state, { ...finding, line: 4 }), false);
  });

  it('reads no file as no decisions, and a broken one as an error naming it', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'et-review-state-'));
    assert.deepEqual(await readReviewState(folder), emptyReviewState());
    writeFileSync(path.join(folder, REVIEW_FILE), '{"version":1,"files":{"a.ts":{"decision":"maybe","at":"x"}},"fixed":[]}');
    await assert.rejects(readReviewState(folder), (error: unknown) => error instanceof ReviewStateError && error.message.includes(path.join(folder, REVIEW_FILE)) && /not a review state/.test(error.message));
    writeFileSync(path.join(folder, REVIEW_FILE), '{"version":1,');
    await assert.rejects(readReviewState(folder), ReviewStateError);
  });

  it('applies changes made at once one after another, so none is lost', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'et-review-state-'));
    const states = new ReviewStates();
    await Promise.all(['a.ts', 'b.ts', 'c.ts', 'd.ts'].map((file) => states.update(folder, (state) => decide(state, [file], 'discarded', '2026-01-01T00:00:00Z'))));
    const stored = JSON.parse(readFileSync(path.join(folder, REVIEW_FILE), 'utf8')) as { files: Record<string, unknown> };
    assert.deepEqual(Object.keys(stored.files).sort(), ['a.ts', 'b.ts', 'c.ts', 'd.ts']);
  });
});
