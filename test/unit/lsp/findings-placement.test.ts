// Where a run's findings are shown: on the files it wrote; on a proposal while it is pending, on the
// real file once accepted, nowhere once discarded or fixed; a real file shows the run that last put
// content there.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunFinding } from '../../../server/src/protocol';
import { placeFindings, type PlacedRecord, type PlacedRun } from '../../../server/src/lsp/findings-placement';
import { GATES_SOURCE } from '../../../server/src/lsp/witness-diagnostics';
import { decide, emptyReviewState, markFixed, type ReviewState } from '../../../server/src/run/review-state';

const outputDir = path.resolve('/work/project');
const uri = (...parts: string[]) => pathToFileURL(path.join(...parts)).href;
const witness = (file: string, line: number, message: string, subtask = 1): RunFinding => ({ source: 'witness', subtask, file, line, column: undefined, severity: 'warning', message });

function run(id: string, startedAt: string, files: Partial<PlacedRecord['files']>, findings: RunFinding[], review: ReviewState = emptyReviewState()): PlacedRun {
  const folder = path.join('/logs', id);
  return { record: { id, startedAt, endedAt: startedAt, folder, outputDir, findings, files: { written: files.written ?? [], proposed: files.proposed } }, review };
}

const proposal = (id: string, file: string, existed: boolean) => ({ path: file, bytes: 1, subtask: 1, target: path.join(outputDir, file), staged: path.join('/logs', id, 'proposed', file), existed });
const messages = (diagnostics: { message: unknown }[] | undefined) => diagnostics?.map((diagnostic) => diagnostic.message);

describe('where a run’s findings are shown', () => {
  it('on a written file: the witness’s and the gates’ (without the refinery’s fix), never a made-up path outside', () => {
    const placed = placeFindings([
      run('r1', '2026-01-01T10:00:00Z', { written: [{ path: 'store_test.go', bytes: 10, subtask: 2 }] }, [
        { source: 'gates', subtask: 1, file: 'store_test.go', line: undefined, column: undefined, severity: 'warning', message: 'TestCount was skipped in store_test.go' },
        witness('store_test.go', 4, 'name the case', 2),
        { source: 'file-blocks', subtask: 2, file: 'x.go', line: 1, column: undefined, severity: 'error', message: 'not written' },
        witness('../../etc/passwd', 1, 'made up'),
      ]),
    ]);
    const diagnostics = placed.diagnostics.get(uri(outputDir, 'store_test.go')) ?? [];
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.source, diagnostic.range.start.line, diagnostic.message, diagnostic.data]), [
      [GATES_SOURCE, 0, 'TestCount was skipped in store_test.go', undefined],
      ['electrictown witness', 3, 'name the case', { runId: 'r1', subtask: 2 }],
    ]);
    assert.deepEqual([...placed.diagnostics.keys()], [uri(outputDir, 'store_test.go')]);
  });

  it('on a pending proposal’s staged file, not on the file in the project (new or modified)', () => {
    const placed = placeFindings([run('r1', '2026-01-01T10:00:00Z', { proposed: [proposal('r1', 'notes.md', false), proposal('r1', 'README.md', true)] }, [witness('notes.md', 3, 'say which things'), witness('README.md', 1, 'say how to run it')])]);
    assert.deepEqual(messages(placed.diagnostics.get(uri('/logs/r1/proposed/notes.md'))), ['say which things']);
    assert.deepEqual(messages(placed.diagnostics.get(uri('/logs/r1/proposed/README.md'))), ['say how to run it']);
    assert.equal(placed.diagnostics.has(uri(outputDir, 'notes.md')), false);
    assert.equal(placed.diagnostics.has(uri(outputDir, 'README.md')), false);
    assert.deepEqual(placed.proposals.get(uri('/logs/r1/proposed/README.md')), { runId: 'r1', path: 'README.md', target: path.join(outputDir, 'README.md') });
  });

  it('on the real file once accepted (the proposal cleared), nowhere once discarded, and not once fixed', () => {
    let review = decide(emptyReviewState(), ['notes.md'], 'accepted', '2026-01-01T11:00:00Z');
    review = decide(review, ['todo.md'], 'discarded', '2026-01-01T11:00:00Z');
    const findings = [witness('notes.md', 3, 'say which things'), witness('notes.md', 1, 'a title'), witness('todo.md', 1, 'one item only')];
    const placed = placeFindings([run('r1', '2026-01-01T10:00:00Z', { proposed: [proposal('r1', 'notes.md', false), proposal('r1', 'todo.md', false)] }, findings, markFixed(review, { path: 'notes.md', line: 1, message: 'a title' }))]);
    assert.deepEqual(messages(placed.diagnostics.get(uri(outputDir, 'notes.md'))), ['say which things']);
    assert.deepEqual(placed.diagnostics.get(uri('/logs/r1/proposed/notes.md')), []);
    assert.deepEqual(placed.diagnostics.get(uri('/logs/r1/proposed/todo.md')), []);
    assert.equal(placed.diagnostics.has(uri(outputDir, 'todo.md')), false);
    assert.equal(placed.proposals.size, 0);
  });

  it('a real file shows the run that last put content there: a later accept wins over an earlier write, and the other way round', () => {
    const writer = run('w1', '2026-01-01T10:00:00Z', { written: [{ path: 'notes.md', bytes: 1, subtask: 1 }] }, [witness('notes.md', 2, 'from the written run')]);
    const accepted = (at: string) => run('p1', '2026-01-01T09:00:00Z', { proposed: [proposal('p1', 'notes.md', true)] }, [witness('notes.md', 5, 'from the accepted proposal')], decide(emptyReviewState(), ['notes.md'], 'accepted', at));
    assert.deepEqual(messages(placeFindings([writer, accepted('2026-01-01T12:00:00Z')]).diagnostics.get(uri(outputDir, 'notes.md'))), ['from the accepted proposal']);
    assert.deepEqual(messages(placeFindings([accepted('2026-01-01T09:30:00Z'), writer]).diagnostics.get(uri(outputDir, 'notes.md'))), ['from the written run']);
    // A proposal still pending leaves the real file to the run that wrote it.
    const pending = run('p2', '2026-01-01T13:00:00Z', { proposed: [proposal('p2', 'notes.md', true)] }, [witness('notes.md', 5, 'pending')]);
    assert.deepEqual(messages(placeFindings([writer, pending]).diagnostics.get(uri(outputDir, 'notes.md'))), ['from the written run']);
  });
});
