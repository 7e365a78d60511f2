// The hunks of a proposal against the project file, as the diff editor accepts or discards them one by
// one: found line by line, applied to either side, the one at a cursor.
import assert from 'node:assert/strict';
import { acceptHunk, discardHunk, hunkAt, hunksBetween } from '../../../client/src/changes/hunks';

const CURRENT = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n';
// A changed line, a removed line and two added lines at the end: three hunks.
const PROPOSED = 'one\nTWO\nthree\nfour\nsix\nseven\neight\nnine\n';

describe('hunks between a file and its proposal', () => {
  it('finds each changed, removed and added run of lines with both sides\' line ranges', () => {
    assert.deepEqual(hunksBetween(CURRENT, PROPOSED), [
      { currentStart: 1, currentEnd: 2, proposedStart: 1, proposedEnd: 2, currentLines: ['two\n'], proposedLines: ['TWO\n'] },
      { currentStart: 4, currentEnd: 5, proposedStart: 4, proposedEnd: 4, currentLines: ['five\n'], proposedLines: [] },
      { currentStart: 7, currentEnd: 7, proposedStart: 6, proposedEnd: 8, currentLines: [], proposedLines: ['eight\n', 'nine\n'] },
    ]);
    assert.deepEqual(hunksBetween(CURRENT, CURRENT), []);
  });

  it('accepting every hunk gives the proposal; discarding every hunk gives the file', () => {
    let current = CURRENT;
    // Accepted from the last, so the earlier hunks' lines stay where they were found.
    for (const hunk of hunksBetween(CURRENT, PROPOSED).reverse()) current = acceptHunk(current, hunk);
    assert.equal(current, PROPOSED);
    let proposed = PROPOSED;
    for (const hunk of hunksBetween(CURRENT, PROPOSED).reverse()) proposed = discardHunk(proposed, hunk);
    assert.equal(proposed, CURRENT);
  });

  it('one hunk accepted and another discarded leave only the third between them', () => {
    const [first, second] = hunksBetween(CURRENT, PROPOSED);
    const current = acceptHunk(CURRENT, first);
    assert.equal(current, 'one\nTWO\nthree\nfour\nfive\nsix\nseven\n');
    const proposed = discardHunk(PROPOSED, second);
    assert.equal(proposed, 'one\nTWO\nthree\nfour\nfive\nsix\nseven\neight\nnine\n');
    assert.deepEqual(hunksBetween(current, proposed).map((hunk) => hunk.proposedLines), [['eight\n', 'nine\n']]);
  });

  it('handles a last line without a line break, and CRLF lines as they are', () => {
    const [hunk] = hunksBetween('a\nb', 'a\nB');
    assert.deepEqual([hunk.currentLines, hunk.proposedLines], [['b'], ['B']]);
    assert.equal(acceptHunk('a\nb', hunk), 'a\nB');
    const [crlf] = hunksBetween('a\r\nb\r\n', 'a\r\nB\r\n');
    assert.equal(acceptHunk('a\r\nb\r\n', crlf), 'a\r\nB\r\n');
  });

  it('the hunk at a cursor: the one the line is in, a removal next to it, else the next one, else the last', () => {
    const hunks = hunksBetween(CURRENT, PROPOSED);
    assert.equal(hunkAt(hunks, 1, 'proposed'), hunks[0]);
    assert.equal(hunkAt(hunks, 4, 'current'), hunks[1]);
    // "five" was removed between proposal lines 3 and 4: a cursor on either is at that hunk.
    assert.equal(hunkAt(hunks, 3, 'proposed'), hunks[1]);
    assert.equal(hunkAt(hunks, 7, 'proposed'), hunks[2]);
    assert.equal(hunkAt(hunks, 0, 'proposed'), hunks[0]);
    assert.equal(hunkAt(hunks, 5, 'current'), hunks[2]);
    assert.equal(hunkAt(hunks.slice(0, 1), 5, 'proposed'), hunks[0]);
    assert.equal(hunkAt([], 0, 'proposed'), undefined);
  });
});
