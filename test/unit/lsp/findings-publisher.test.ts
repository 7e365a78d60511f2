// The publisher sends only what changed, and clears what it no longer places.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FindingsPublisher } from '../../../server/src/lsp/findings-publisher';
import type { RunRecord } from '../../../server/src/protocol';
import { decide, emptyReviewState } from '../../../server/src/run/review-state';

const outputDir = path.resolve('/work/project');
const record = {
  id: 'r1',
  startedAt: '2026-01-01T10:00:00Z',
  endedAt: '2026-01-01T10:01:00Z',
  folder: '/logs/r1',
  outputDir,
  findings: [{ source: 'witness', subtask: 1, file: 'notes.md', line: 3, column: undefined, severity: 'warning', message: 'say which things' }],
  files: { written: [], refused: [], conflicts: [], proposed: [{ path: 'notes.md', bytes: 1, subtask: 1, target: path.join(outputDir, 'notes.md'), staged: '/logs/r1/proposed/notes.md', existed: false }] },
} as unknown as RunRecord;
const staged = pathToFileURL('/logs/r1/proposed/notes.md').href;
const target = pathToFileURL(path.join(outputDir, 'notes.md')).href;

describe('the findings publisher', () => {
  it('moves a finding from the proposal to the file on accept, and back on undo, sending only what changed', () => {
    const sent: [string, unknown[]][] = [];
    const publisher = new FindingsPublisher((uri, diagnostics) => sent.push([uri, diagnostics.map((diagnostic) => diagnostic.message)]));
    publisher.set(record, emptyReviewState());
    assert.deepEqual(sent, [[staged, ['say which things']]]);
    assert.equal(publisher.proposalAt(staged)?.path, 'notes.md');

    sent.length = 0;
    publisher.set(record, emptyReviewState());
    assert.deepEqual(sent, [], 'nothing changed, nothing sent');

    publisher.set(record, decide(emptyReviewState(), ['notes.md'], 'accepted', '2026-01-01T11:00:00Z'));
    assert.deepEqual(sent, [[staged, []], [target, ['say which things']]]);
    assert.equal(publisher.proposalAt(staged), undefined);

    // Undone: pending again. The real file is cleared (no run placed content there now).
    sent.length = 0;
    publisher.set(record, emptyReviewState());
    assert.deepEqual(sent, [[staged, ['say which things']], [target, []]]);
  });
});
