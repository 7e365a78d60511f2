import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunRecord } from '../../../server/src/protocol';
import { GATES_SOURCE, witnessDiagnostics } from '../../../server/src/lsp/witness-diagnostics';

describe('a run’s findings in the Problems panel', () => {
  it('shows a weakened test (the gates’ finding) beside the witness’s, without the refinery’s fix', () => {
    const outputDir = path.resolve('/work/project');
    const record = {
      id: 'r1',
      outputDir,
      files: { written: [{ path: 'store_test.go', bytes: 10, subtask: 2 }], refused: [], conflicts: [] },
      findings: [
        { source: 'gates', subtask: 1, file: 'store_test.go', line: undefined, column: undefined, severity: 'warning', message: 'TestCount was skipped in store_test.go' },
        { source: 'witness', subtask: 2, file: 'store_test.go', line: 4, column: undefined, severity: 'info', message: 'name the case' },
        { source: 'file-blocks', subtask: 2, file: 'x.go', line: 1, column: undefined, severity: 'error', message: 'not written' },
      ],
    } as unknown as RunRecord;
    const diagnostics = witnessDiagnostics(record).get(pathToFileURL(path.join(outputDir, 'store_test.go')).href) ?? [];
    assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.source, diagnostic.range.start.line, diagnostic.message, diagnostic.data === undefined]), [
      [GATES_SOURCE, 0, 'TestCount was skipped in store_test.go', true],
      ['electrictown witness', 3, 'name the case', false],
    ]);
  });
});
