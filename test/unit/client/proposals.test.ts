// The checks and words around accepting proposed files: several runs proposing one file (merged when
// their edits change different lines, else the user picks), a file changed since it was proposed, what
// the message says the editor did, and telling an undone accept from an edited file.
import assert from 'node:assert/strict';
import type { ProposedFile } from '../../../server/src/protocol';
import { acceptMessage, type AcceptReport } from '../../../client/src/changes/accept-report';
import { mergeProposals } from '../../../client/src/changes/merge-proposals';
import { changedSinceProposed, madeFromCurrent, sharedTargets, type PendingEntry } from '../../../client/src/changes/proposal-checks';
import { acceptedState } from '../../../client/src/changes/undo-check';

const file = (target: string, extra: Partial<ProposedFile> = {}): ProposedFile => ({ path: target.replace(/^\/w\//, ''), bytes: 1, subtask: 1, target, staged: `/logs/x/proposed/${target}`, existed: true, ...extra });
const entry = (runId: string, target: string, extra: Partial<ProposedFile> = {}): PendingEntry => ({ runId, task: `task of ${runId}`, file: file(target, extra) });

const BASE = 'one\ntwo\nthree\nfour\nfive\nsix\n';

describe('proposed files from several runs', () => {
  it('names the targets more than one pending run proposes, with the runs', () => {
    const shared = sharedTargets([entry('a', '/w/x.ts'), entry('b', '/w/x.ts'), entry('a', '/w/y.ts'), entry('c', '/w/z.ts')]);
    assert.deepEqual([...shared], [['/w/x.ts', ['a', 'b']]]);
  });

  it('merges edits to different lines, in order, and counts the same edit once', () => {
    const first = BASE.replace('two', 'TWO');
    const second = BASE.replace('five', 'FIVE').concat('seven\n');
    assert.deepEqual(mergeProposals(BASE, [first, second]), { ok: true, text: 'one\nTWO\nthree\nfour\nFIVE\nsix\nseven\n' });
    assert.deepEqual(mergeProposals(BASE, [first, first, second]), { ok: true, text: 'one\nTWO\nthree\nfour\nFIVE\nsix\nseven\n' });
    // An insertion and a removal far apart.
    assert.deepEqual(mergeProposals(BASE, ['zero\n' + BASE, BASE.replace('six\n', '')]), { ok: true, text: 'zero\none\ntwo\nthree\nfour\nfive\n' });
  });

  it('does not merge edits to the same or neighbouring lines: it names where they meet', () => {
    assert.deepEqual(mergeProposals(BASE, [BASE.replace('three', 'THREE'), BASE.replace('three', 'drei')]), { ok: false, lines: [3] });
    assert.deepEqual(mergeProposals(BASE, [BASE.replace('three', 'THREE'), BASE.replace('four', 'FOUR')]), { ok: false, lines: [3] });
    // Two runs that each add a line at the end meet there.
    assert.equal(mergeProposals(BASE, [`${BASE}a\n`, `${BASE}b\n`]).ok, false);
  });

  it('merges only proposals made from the file exactly as it is now', () => {
    const group = [entry('a', '/w/x.ts', { baseSha256: 'aa' }), entry('b', '/w/x.ts', { baseSha256: 'aa' })];
    assert.equal(madeFromCurrent(group, { exists: true, sha256: 'aa' }), true);
    assert.equal(madeFromCurrent(group, { exists: true, sha256: 'bb' }), false);
    assert.equal(madeFromCurrent([group[0], entry('b', '/w/x.ts', { baseSha256: undefined })], { exists: true, sha256: 'aa' }), false);
    assert.equal(madeFromCurrent(group, { exists: false }), false);
  });
});

describe('a file changed since it was proposed', () => {
  it('is told by the SHA-256 of the file the proposal was made from', () => {
    assert.equal(changedSinceProposed({ existed: true, baseSha256: 'aa' }, { exists: true, sha256: 'aa' }), false);
    assert.equal(changedSinceProposed({ existed: true, baseSha256: 'aa' }, { exists: true, sha256: 'bb' }), true);
    assert.equal(changedSinceProposed({ existed: true, baseSha256: 'aa' }, { exists: false }), true);
    // Proposed as a new file: one that appeared since is a change.
    assert.equal(changedSinceProposed({ existed: false, baseSha256: null }, { exists: false }), false);
    assert.equal(changedSinceProposed({ existed: false, baseSha256: null }, { exists: true, sha256: 'aa' }), true);
  });

  it('in a record from before proposals named their base, only as a file that appeared where none was', () => {
    assert.equal(changedSinceProposed({ existed: false }, { exists: true, sha256: 'aa' }), true);
    assert.equal(changedSinceProposed({ existed: true }, { exists: true, sha256: 'aa' }), false);
  });
});

describe('what an accept says', () => {
  const report = (files: AcceptReport['files'], extra: Partial<AcceptReport> = {}): AcceptReport => ({ editorApplied: true, files, putBack: [], notPutBack: [], merged: [], picked: [], unsaved: [], ...extra });

  it('every file in: which, how they merged or were picked, and that one Undo takes them back', () => {
    const said = acceptMessage(report([{ path: 'a.md', verified: 'applied' }, { path: 'b.md', verified: 'applied' }], { merged: [{ path: 'a.md', runIds: ['r1', 'r2'] }], picked: [{ path: 'b.md', kept: 'r2', discarded: ['r1'] }] }));
    assert.deepEqual(said, { severity: 'info', text: "Electrictown: accepted a.md and b.md. One Undo takes them back. a.md: the edits of runs r1 and r2 went in together (they change different lines); b.md: run r2's version went in; run r1's was discarded." });
  });

  it('nothing in: says nothing changed only when the files read back as they were', () => {
    const said = acceptMessage(report([{ path: 'a.md', verified: 'unchanged' }, { path: 'b.md', verified: 'unchanged' }], { editorApplied: false }));
    assert.deepEqual(said, { severity: 'error', text: 'Electrictown: the editor reported the edit failed, and the files are as they were: nothing was changed. a.md and b.md still wait in Changes.' });
  });

  it('some in, put back: says which went in and that they were put back — never "nothing was changed"', () => {
    const said = acceptMessage(report([{ path: 'a.md', verified: 'applied' }, { path: 'b.md', verified: 'applied' }, { path: 'c.md', verified: 'unchanged' }], { editorApplied: false, putBack: ['a.md', 'b.md'] }));
    assert.equal(said.severity, 'error');
    assert.equal(said.text, 'Electrictown: the editor reported the edit failed, and only a.md and b.md of a.md, b.md and c.md changed; they were put back as they were, so nothing was accepted. All still wait in Changes.');
    assert.doesNotMatch(said.text, /nothing was changed/);
  });

  it('every file in, one not saved: says to save it', () => {
    const said = acceptMessage(report([{ path: 'a.md', verified: 'applied' }], { unsaved: ['a.md'] }));
    assert.deepEqual(said, { severity: 'error', text: 'Electrictown: accepted a.md. One Undo takes it back. a.md could not be saved: save it to put it on disk.' });
  });

  it('some in and not put back: they count as accepted, the rest wait', () => {
    const said = acceptMessage(report([{ path: 'a.md', verified: 'applied' }, { path: 'b.md', verified: 'other' }], { notPutBack: ['a.md'] }));
    assert.equal(said.text, 'Electrictown: the editor reported the edit applied, but only a.md changed; a.md could not be put back, so it is accepted (Undo takes it back). b.md still waits in Changes.');
  });
});

describe('an accepted file after an Undo', () => {
  it('is undone when back as it was (a created file: gone), accepted when as accepted, edited otherwise', () => {
    assert.equal(acceptedState('old\n', 'old\n', 'new\n'), 'undone');
    assert.equal(acceptedState('old\r\n', 'old\n', 'new\n'), 'undone');
    assert.equal(acceptedState(undefined, undefined, 'new\n'), 'undone');
    assert.equal(acceptedState('new\n', undefined, 'new\n'), 'accepted');
    assert.equal(acceptedState('new\n', 'old\n', 'new\n'), 'accepted');
    assert.equal(acceptedState('newer\n', 'old\n', 'new\n'), 'edited');
    assert.equal(acceptedState(undefined, 'old\n', 'new\n'), 'edited');
  });
});
