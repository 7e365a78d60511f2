// What a run keeps of each file it wrote, as a diff from before the run: created or changed files,
// a later write (a fix) of the same file, a conflict, a refused path, something that is no file, a
// diff too long to keep — and the result an agent reads, built from the record and those diffs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DIFFS_FILE, diffKeepingWriter, MAX_DIFF_CHARS, readKeptDiffs } from '../../../server/src/run/kept-diffs';
import { newRunRecord } from '../../../server/src/run/run-record';
import { resolveRunSettings } from '../../../server/src/run/run-options';
import { runResult } from '../../../server/src/run/run-result';
import { writeProducedFiles } from '../../../server/src/run/write-files';

describe('kept diffs', () => {
  let output: string;
  let folder: string;

  beforeEach(() => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-diffs-'));
    output = path.join(root, 'out');
    folder = path.join(root, 'run');
    mkdirSync(path.join(output, 'src'), { recursive: true });
    mkdirSync(folder);
    writeFileSync(path.join(output, 'src', 'old.ts'), 'const a = 1;\nconst b = 2;\n');
  });

  it('keeps each written file its diff from before the run, through later writes and conflicts', async () => {
    const write = diffKeepingWriter(writeProducedFiles, folder);
    const report = await write(output, [
      { path: 'src/old.ts', content: 'const a = 1;\nconst b = 3;\n', subtask: 1 },
      { path: './src/new.ts', content: 'export {};\n', subtask: 1 },
      { path: 'src/both.ts', content: 'first\n', subtask: 1 },
      { path: 'src/both.ts', content: 'second\n', subtask: 2 },
      { path: '../outside.ts', content: 'no\n', subtask: 2 },
    ]);
    assert.deepEqual(report.refused.map((file) => file.path), ['../outside.ts']);
    let kept = await readKeptDiffs(folder);
    assert.deepEqual(kept.map((diff) => [diff.path, diff.created]), [['src/old.ts', false], ['src/new.ts', true], ['src/both.ts', true]]);
    assert.equal(kept[0].diff, '--- a/src/old.ts\n+++ b/src/old.ts\n@@ -1,2 +1,2 @@\n const a = 1;\n-const b = 2;\n+const b = 3;\n');
    assert.equal(kept[2].diff, '--- /dev/null\n+++ b/src/both.ts\n@@ -0,0 +1,1 @@\n+second\n', 'the later subtask is kept');

    // A fix writes the file again: the diff is still from before the run.
    await write(output, [{ path: 'src/old.ts', content: 'const a = 10;\nconst b = 3;\n', subtask: 1 }]);
    kept = await readKeptDiffs(folder);
    assert.equal(kept.find((diff) => diff.path === 'src/old.ts')?.diff, '--- a/src/old.ts\n+++ b/src/old.ts\n@@ -1,2 +1,2 @@\n-const a = 1;\n-const b = 2;\n+const a = 10;\n+const b = 3;\n');
    assert.equal(JSON.parse(readFileSync(path.join(folder, DIFFS_FILE), 'utf8')).length, 3);
  });

  it('leaves out, and says why, a diff it cannot make: no file was there before, or the diff is too long', async () => {
    execFileSync('mkfifo', [path.join(output, 'pipe')]);
    const long = 'x'.repeat(80) + '\n';
    const write = diffKeepingWriter(writeProducedFiles, folder);
    await write(output, [
      { path: 'pipe', content: 'now a file\n', subtask: 1 },
      { path: 'big.txt', content: long.repeat(Math.ceil(MAX_DIFF_CHARS / long.length) + 1), subtask: 1 },
    ]);
    const kept = await readKeptDiffs(folder);
    assert.deepEqual(kept.map((diff) => [diff.path, diff.diff]), [['pipe', null], ['big.txt', null]]);
    assert.equal(kept[0].omitted, 'what was there before could not be read: it is a named pipe, not a file');
    assert.match(kept[1].omitted ?? '', /^the diff is [\d,]+ characters, over the limit of 200,000$/);
  });

  it("builds a run's result from its record and the diffs: a file without a kept diff says so, gate logs are absolute", () => {
    const settings = resolveRunSettings('Build it', { outputDir: 'out', budgetUsd: 1 }, { providers: {} }, '/w');
    const record = newRunRecord({ id: 'abcdef0123', settings, config: { path: '/w/electrictown.yaml', sha256: '0' }, folder: '/w/logs/r', startedAt: new Date('2026-01-01T10:00:00Z'), pid: 1 });
    Object.assign(record, { status: 'failed', exitCode: 3, error: 'the gates still fail', endedAt: '2026-01-01T10:01:00Z' });
    record.files.written.push({ path: 'a.ts', bytes: 3, subtask: 1 }, { path: 'b.ts', bytes: 4, subtask: 2 });
    record.changes = [{ path: 'a.ts', created: true, subtasks: [1], added: 1, removed: 0, edits: [] }];
    record.build = { status: 'failed', reason: undefined, attempts: [{ iteration: 1, gate: 'build', kind: 'build', status: 'failed', command: 'make', passed: false, exitCode: 2, timedOut: false, durationMs: 5, errors: 1, log: '_gate_build_iter1.log', fixes: [] }] };
    const result = runResult(record, '  Built it.\n', [{ path: 'a.ts', created: true, diff: '--- /dev/null\n+++ b/a.ts\n' }]);
    assert.deepEqual([result.status, result.exitCode, result.error, result.durationMs, result.summary, result.budgetUsd], ['failed', 3, 'the gates still fail', 60_000, 'Built it.', 1]);
    assert.deepEqual(result.files, [
      { path: 'a.ts', bytes: 3, subtask: 1, created: true, added: 1, removed: 0, diff: '--- /dev/null\n+++ b/a.ts\n' },
      { path: 'b.ts', bytes: 4, subtask: 2, created: null, added: null, removed: null, diff: null, diffOmitted: 'this run kept no diff of it' },
    ]);
    assert.equal(result.gates?.attempts[0].log, '/w/logs/r/_gate_build_iter1.log');
    assert.equal(runResult({ ...record, synthesis: undefined }, undefined, []).summary, null);
  });
});
