import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildProjectIndex } from '../../../server/src/project-map';
import { walkProject, type WalkOptions } from '../../../server/src/project-map/walk-project';
import { writeProject } from '../../helpers/temp-project';

function walk(root: string, options: Partial<WalkOptions> = {}) {
  return walkProject({ root, exclude: [], maxFiles: 20_000, maxFileBytes: 1024 * 1024, deadline: Infinity, ...options });
}

const paths = (result: { files: { path: string }[] }) => result.files.map((file) => file.path);

describe('project map: the file walk', () => {
  it('returns the files as sorted POSIX paths relative to the root, with size and mtime', async () => {
    const root = writeProject({ 'b.go': 'package b\n', 'a/z.go': 'package a\n', 'a/b/c.txt': 'c', 'A.md': '#' });
    const result = await walk(root);
    assert.deepEqual(paths(result), ['A.md', 'a/b/c.txt', 'a/z.go', 'b.go']);
    assert.equal(result.files[3].size, 10);
    assert.ok(result.files[3].mtimeMs > 0);
    assert.deepEqual(result.skipped, []);
  });

  it('reads .gitignore files as git does: globs, **, negation, folders, anchoring, and a deeper file winning', async () => {
    const root = writeProject({
      '.gitignore': ['*.log', '!keep.log', 'build/', '/only-at-root.txt', 'docs/**/draft.md', 'secret*', '!secret-but-public.md', ''].join('\n'),
      'app.log': 'x',
      'keep.log': 'x',
      'build/out.js': 'x',
      'src/build/generated.js': 'x',
      'build.go': 'package main\n',
      'only-at-root.txt': 'x',
      'src/only-at-root.txt': 'x',
      'docs/draft.md': 'x',
      'docs/a/b/draft.md': 'x',
      'docs/final.md': 'x',
      'secret.key': 'x',
      'secret-but-public.md': 'x',
      'sub/.gitignore': ['*.tmp', '!important.log', '/local/', ''].join('\n'),
      'sub/x.tmp': 'x',
      'x.tmp': 'x',
      'sub/important.log': 'x',
      'sub/other.log': 'x',
      'sub/local/a.go': 'x',
      'sub/deeper/local/a.go': 'x',
    });
    assert.deepEqual(paths(await walk(root)), [
      '.gitignore',
      'build.go',
      'docs/final.md',
      'keep.log',
      'secret-but-public.md',
      'src/only-at-root.txt',
      'sub/.gitignore',
      'sub/deeper/local/a.go',
      'sub/important.log',
      'x.tmp',
    ]);
  });

  it('never enters node_modules, .git or the excluded folders (absolute or relative)', async () => {
    const root = writeProject({
      'main.go': 'package main\n',
      'node_modules/left-pad/index.js': 'module.exports = 1;\n',
      'web/node_modules/x/index.js': 'x',
      '.git/config': '[core]\n',
      '.electrictown/runs/1/run.json': '{}',
      'logs/today/run.json': '{}',
      'src/.git': 'gitdir: elsewhere\n',
    });
    const result = await walk(root, { exclude: ['.electrictown', 'logs/today'] });
    assert.deepEqual(paths(result), ['main.go']);
    const index = await buildProjectIndex({ root, exclude: [path.join(root, '.electrictown'), 'logs'] });
    assert.deepEqual(
      index.files.map((file) => file.path),
      ['main.go'],
    );
  });

  it('skips binary files (by extension, or a NUL byte in the first 8 KB) and files over the size limit, naming each with why', async () => {
    const root = writeProject({
      'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      'data.custom': Buffer.concat([Buffer.from('header'), Buffer.from([0, 1, 2])]),
      'late-nul.txt': Buffer.concat([Buffer.alloc(9000, 0x61), Buffer.from([0])]),
      'huge.json': `[${'1,'.repeat(600_000)}1]`,
      'fits.txt': 'a'.repeat(1000),
      'main.go': 'package main\n',
    });
    const index = await buildProjectIndex({ root });
    assert.deepEqual(
      index.files.map((file) => file.path),
      ['fits.txt', 'late-nul.txt', 'main.go'],
    );
    assert.deepEqual(index.skipped, [
      { path: 'data.custom', reason: 'binary (a NUL byte in its first 8 KB)' },
      { path: 'huge.json', reason: 'larger than 1 MB (1.1 MB)' },
      { path: 'logo.png', reason: 'binary (.png)' },
    ]);
    const smaller = await buildProjectIndex({ root, maxFileBytes: 500 });
    assert.deepEqual(
      smaller.skipped.filter((file) => file.reason.startsWith('larger')).map((file) => [file.path, file.reason]),
      [
        ['fits.txt', 'larger than 500 bytes (1000 bytes)'],
        ['huge.json', 'larger than 500 bytes (1.1 MB)'],
        ['late-nul.txt', 'larger than 500 bytes (8.8 KB)'],
      ],
    );
  });

  it('lists a minified bundle by path only, without parsing it', async () => {
    const minified = Array.from({ length: 400 }, (_, index) => `function f${index}(a){return a+${index}}`).join(';');
    const root = writeProject({ 'dist/app.min.js': minified, 'src/app.js': 'function start() {}\n' });
    const index = await buildProjectIndex({ root });
    assert.equal(index.stats.parsed, 1);
    assert.deepEqual(
      index.files.map((file) => [file.path, file.definitions.map((definition) => definition.name)]),
      [
        ['dist/app.min.js', []],
        ['src/app.js', ['start']],
      ],
    );
  });

  it('does not follow symlinks to folders (a loop ends), and lists a symlinked file only when it stays inside the root', async () => {
    const outside = writeProject({ 'secret.txt': 'password', 'dir/x.go': 'package x\n' });
    const root = writeProject({ 'main.go': 'package main\n', 'src/util.go': 'package src\n' });
    symlinkSync(root, path.join(root, 'src', 'loop'));
    symlinkSync('..', path.join(root, 'src', 'up'));
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
    symlinkSync(path.join(outside, 'dir'), path.join(root, 'outside-dir'));
    symlinkSync('main.go', path.join(root, 'alias.go'));
    symlinkSync('nowhere.go', path.join(root, 'dangling.go'));
    symlinkSync('self.go', path.join(root, 'self.go'));
    const result = await walk(root);
    assert.deepEqual(paths(result), ['alias.go', 'main.go', 'src/util.go']);
    assert.deepEqual(result.skipped, [
      { path: 'dangling.go', reason: 'a broken symlink' },
      { path: 'leak.txt', reason: 'a symlink that leads outside the project' },
      { path: 'outside-dir', reason: 'a symlink that leads outside the project' },
      { path: 'self.go', reason: 'a broken symlink' },
      { path: 'src/loop', reason: 'a symlink to a folder (not followed)' },
      { path: 'src/up', reason: 'a symlink to a folder (not followed)' },
    ]);
  });

  it('maps a folder that does not exist yet as empty', async () => {
    const index = await buildProjectIndex({ root: path.join(mkdtempSync(path.join(tmpdir(), 'et-map-new-')), 'not-yet') });
    assert.deepEqual([index.files, index.skipped, index.notes], [[], [], []]);
  });

  it('maps a root that is itself reached through a symlink', async () => {
    const real = writeProject({ 'main.go': 'package main\n', 'alias.go': '' });
    const link = path.join(mkdtempSync(path.join(tmpdir(), 'et-map-link-')), 'project');
    symlinkSync(real, link);
    assert.deepEqual(paths(await walk(link)), ['alias.go', 'main.go']);
  });

  it('stops at the file limit, keeping the shallow files, and counts what it left out', async () => {
    const files: Record<string, string> = { 'main.go': 'package main\n', 'go.mod': 'module m\n' };
    for (let index = 0; index < 12; index++) files[`pkg/deep/file${index}.go`] = 'package deep\n';
    const root = writeProject(files);
    const index = await buildProjectIndex({ root, maxFiles: 5 });
    assert.deepEqual(
      index.files.map((file) => file.path),
      ['go.mod', 'main.go', 'pkg/deep/file0.go', 'pkg/deep/file1.go', 'pkg/deep/file10.go'],
    );
    assert.equal(index.omitted, 9);
    assert.deepEqual(index.notes, ['9 files not mapped: the limit of 5']);
  });

  it('stops at the time limit and says so', async () => {
    const root = writeProject({ 'main.go': 'package main\n', 'a/b.go': 'package a\n' });
    const index = await buildProjectIndex({ root, timeLimitMs: -1 });
    assert.deepEqual(index.files, []);
    assert.match(index.notes.join('\n'), /the walk stopped at the time limit of -1 ms/);
  });

  it('stops when its signal is aborted', async () => {
    const root = writeProject({ 'main.go': 'package main\n' });
    await assert.rejects(buildProjectIndex({ root, signal: AbortSignal.abort() }), { name: 'AbortError' });
  });

  it('names a folder it cannot read instead of failing', async function () {
    if (process.getuid?.() === 0) this.skip(); // root reads everything
    const root = writeProject({ 'main.go': 'package main\n' });
    const locked = path.join(root, 'locked');
    mkdirSync(locked, { mode: 0o000 });
    writeFileSync(path.join(root, 'z.txt'), 'z');
    const result = await walk(root);
    assert.deepEqual(paths(result), ['main.go', 'z.txt']);
    assert.match(result.skipped[0].reason, /^unreadable folder \(EACCES\)$/);
  });
});
