import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
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
    for (const name of ['.greet.ts.et-0a1b2c3d.tmp', '.et-0123456789abcdef.tmp', 'greet.ts', '.keep.tmp', '.x.et-123.tmp', '.et-0123.tmp']) writeFileSync(path.join(root, 'src', name), 'x');
    writeFileSync(path.join(root, '.README.md.et-00000000.tmp'), 'x');
    const removed = await removeStaleTemporaries(root, ['src/greet.ts', 'README.md', '../elsewhere/x.ts']);
    assert.deepEqual(removed.sort(), ['.README.md.et-00000000.tmp', 'src/.et-0123456789abcdef.tmp', 'src/.greet.ts.et-0a1b2c3d.tmp']);
    assert.deepEqual(readdirSync(path.join(root, 'src')).sort(), ['.et-0123.tmp', '.keep.tmp', '.x.et-123.tmp', 'greet.ts']);
  });
});

describe('the write phase at the edges of the file system', () => {
  it('refuses, alone, a name the file system rejects, and writes one as long as it allows', async () => {
    const output = mkdtempSync(path.join(tmpdir(), 'et-names-'));
    const longest = `${'n'.repeat(252)}.ts`;
    const report = await writeProducedFiles(output, [
      { path: longest, content: 'longest\n', subtask: 1 },
      { path: `${'x'.repeat(297)}.ts`, content: 'too long\n', subtask: 1 },
      { path: 'dup', content: 'a file\n', subtask: 2 },
      { path: 'ok.txt', content: 'ok\n', subtask: 3 },
    ]);
    assert.equal(readFileSync(path.join(output, longest), 'utf8'), 'longest\n', 'a 255-character name gets a temp name it can hold');
    assert.deepEqual(report.written.map((file) => file.path).sort(), ['dup', longest, 'ok.txt'].sort());
    assert.deepEqual(report.refused, [{ path: `${'x'.repeat(297)}.ts`, reason: 'its name is longer than the file system allows', subtask: 1 }]);
    // A later run writes dup/x where the file dup is: that file alone is refused, saying why.
    const again = await writeProducedFiles(output, [
      { path: 'dup/x', content: 'x\n', subtask: 1 },
      { path: 'ok.txt/inner', content: 'x\n', subtask: 1 },
      { path: 'fine.txt', content: 'fine\n', subtask: 1 },
    ]);
    assert.deepEqual(again.written.map((file) => file.path), ['fine.txt']);
    assert.deepEqual(again.refused.map((file) => [file.path, file.reason]), [
      ['dup/x', 'a file is in the way of one of its folders'],
      ['ok.txt/inner', 'a file is in the way of one of its folders'],
    ]);
    assert.deepEqual(readdirSync(output).filter((name) => name.endsWith('.tmp')), [], 'no temp file is left behind');
  });

  it('never writes outside when a folder is swapped for a symlink after its check: the file is refused', async () => {
    for (const moment of ['afterCheck', 'beforeRename'] as const) {
      const root = mkdtempSync(path.join(tmpdir(), 'et-swap-'));
      const output = path.join(root, 'out');
      const outside = path.join(root, 'outside');
      mkdirSync(path.join(output, 'src'), { recursive: true });
      mkdirSync(outside);
      const swap = (relative: string) => {
        if (relative !== 'src/evil.ts') return;
        // What an attacker racing the write does: the checked folder becomes a symlink out.
        renameSync(path.join(output, 'src'), path.join(output, 'src-moved'));
        symlinkSync(outside, path.join(output, 'src'));
      };
      const report = await writeProducedFiles(output, [{ path: 'src/evil.ts', content: 'evil\n', subtask: 1 }, { path: 'safe.ts', content: 'safe\n', subtask: 1 }], [], { [moment]: swap });
      assert.deepEqual(readdirSync(outside), [], `${moment}: nothing lands outside`);
      assert.deepEqual(report.written.map((file) => file.path), ['safe.ts'], moment);
      assert.deepEqual(report.refused.map((file) => [file.path, file.reason]), [['src/evil.ts', 'its folder changed while it was written (a symlink was swapped in); nothing was written']], moment);
      assert.deepEqual(readdirSync(path.join(output, 'src-moved')).filter((name) => name.endsWith('.tmp')), [], `${moment}: no temp file left`);
    }
  });

  it('writes 1,000 files under an open-file limit of 256', function () {
    this.timeout(60_000);
    const output = mkdtempSync(path.join(tmpdir(), 'et-ulimit-'));
    const script = `const { writeProducedFiles } = require(${JSON.stringify(path.join(__dirname, '../../../server/src/run/write-files.ts'))});
const files = Array.from({ length: 1000 }, (_, index) => ({ path: 'pkg' + (index % 10) + '/file' + index + '.txt', content: 'file ' + index + '\\n', subtask: 1 + (index % 8) }));
writeProducedFiles(${JSON.stringify(output)}, files).then((report) => console.log(JSON.stringify({ written: report.written.length, refused: report.refused })));`;
    const done = spawnSync('bash', ['-c', `ulimit -n 256 && exec ${JSON.stringify(process.execPath)} --import tsx -e "$0"`, script], { encoding: 'utf8', cwd: path.join(__dirname, '../../..') });
    assert.equal(done.status, 0, done.stderr);
    assert.deepEqual(JSON.parse(done.stdout), { written: 1000, refused: [] });
    assert.equal(readFileSync(path.join(output, 'pkg3', 'file993.txt'), 'utf8'), 'file 993\n');
  });
});
