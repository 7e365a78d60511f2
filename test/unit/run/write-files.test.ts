import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { removeStaleTemporaries, writeProducedFiles } from '../../../server/src/run/write-files';

describe('writing the workers’ files', () => {
  it('writes inside the output directory, refuses escapes with the reason, and records conflicts', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-write-'));
    const output = path.join(root, 'out');
    mkdirSync(path.join(root, 'secret'));
    mkdirSync(output);
    symlinkSync(path.join(root, 'secret'), path.join(output, 'shared'));
    const report = await writeProducedFiles(output, [
      { path: 'src/a.ts', content: 'export const a = 1;\n', subtask: 1 },
      { path: '../../etc/passwd', content: 'root::0:0\n', subtask: 2 },
      { path: 'shared/leak.txt', content: 'x', subtask: 2 },
      { path: './src/a.ts', content: 'export const a = 2;\n', subtask: 3 },
      { path: 'README.md', content: '# R\n', subtask: 2 },
    ]);
    assert.equal(readFileSync(path.join(output, 'src', 'a.ts'), 'utf8'), 'export const a = 2;\n');
    assert.equal(readFileSync(path.join(output, 'README.md'), 'utf8'), '# R\n');
    assert.deepEqual(report.written.map((file) => [file.path, file.subtask]), [['src/a.ts', 3], ['README.md', 2]]);
    assert.deepEqual(report.refused, [
      { path: '../../etc/passwd', reason: 'it climbs out with ..', subtask: 2 },
      { path: 'shared/leak.txt', reason: 'a symlink leads outside the output directory', subtask: 2 },
    ]);
    assert.deepEqual(report.conflicts, [{ path: 'src/a.ts', subtasks: [1, 3], kept: 3 }]);
    assert.equal(existsSync(path.join(root, 'secret', 'leak.txt')), false);
    // Atomic writes leave no temp files behind.
    assert.deepEqual(readdirSync(path.join(output, 'src')), ['a.ts']);
  });
});

describe('a write a kill cut short', () => {
  it('leaves temp files that a resumed run removes from the folders it writes, and nothing else', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-stale-'));
    mkdirSync(path.join(root, 'src'));
    for (const name of ['.greet.ts.et-0a1b2c3d.tmp', '.main.ts.et-ffffffff.tmp', 'greet.ts', '.keep.tmp', '.x.et-123.tmp']) writeFileSync(path.join(root, 'src', name), 'x');
    writeFileSync(path.join(root, '.README.md.et-00000000.tmp'), 'x');
    const removed = await removeStaleTemporaries(root, ['src/greet.ts', 'README.md', '../elsewhere/x.ts']);
    assert.deepEqual(removed.sort(), ['.README.md.et-00000000.tmp', 'src/.greet.ts.et-0a1b2c3d.tmp', 'src/.main.ts.et-ffffffff.tmp']);
    assert.deepEqual(readdirSync(path.join(root, 'src')).sort(), ['.keep.tmp', '.x.et-123.tmp', 'greet.ts']);
  });
});
