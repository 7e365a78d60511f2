import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkRelativePath, openWriteScope, resolveInside, resolveWrite } from '../../../server/src/run/containment';
import { parseGitdirFile, parseHooksPath } from '../../../server/src/run/git-dirs';

describe('where a model may write', () => {
  it('accepts relative paths, normalised', () => {
    assert.deepEqual(checkRelativePath('src/app.ts'), { ok: true, relative: 'src/app.ts' });
    assert.deepEqual(checkRelativePath('./src//lib\\util.ts '), { ok: true, relative: 'src/lib/util.ts' });
  });

  it('refuses escapes, absolute paths, drives, NULs and .git, saying why', () => {
    const refused = (written: string) => {
      const check = checkRelativePath(written);
      return check.ok ? 'accepted' : check.reason;
    };
    assert.equal(refused('../../etc/passwd'), 'it climbs out with ..');
    assert.equal(refused('src/../../x'), 'it climbs out with ..');
    assert.equal(refused('..\\..\\windows\\system.ini'), 'it climbs out with ..');
    assert.equal(refused('/etc/passwd'), 'it is absolute');
    assert.equal(refused('~/.bashrc'), 'it is absolute');
    assert.equal(refused('C:\\Windows\\x.dll'), 'it names a drive');
    assert.equal(refused('a\0b'), 'it contains a NUL character');
    assert.equal(refused('.git/hooks/pre-commit'), 'it writes into .git');
    assert.equal(refused('./'), 'it names the output directory itself');
    assert.equal(refused('  '), 'it is empty');
  });

  it('follows symlinks: a link inside the output directory that leads out is refused', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-contain-'));
    const output = path.join(root, 'out');
    const outside = path.join(root, 'elsewhere');
    mkdirSync(output);
    mkdirSync(outside);
    symlinkSync(outside, path.join(output, 'link'));
    assert.deepEqual(await resolveInside(output, 'link/x.txt'), { ok: false, reason: 'a symlink leads outside the output directory' });
    const inside = await resolveInside(output, 'src/new/file.ts');
    assert.ok(inside.ok && inside.absolute.endsWith(path.join('out', 'src', 'new', 'file.ts')));
    // An output directory that does not exist yet is fine.
    assert.equal((await resolveInside(path.join(root, 'fresh'), 'a.txt')).ok, true);
  });
});

describe('writes that could make git run code', () => {
  /** A project with a git directory, and what a write of `relative` resolves to. */
  const project = () => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-gitguard-'));
    mkdirSync(path.join(root, '.git', 'hooks'), { recursive: true });
    writeFileSync(path.join(root, '.git', 'config'), '[core]\n\trepositoryformatversion = 0\n');
    return root;
  };
  const reasonFor = async (root: string, relative: string, protect: { path: string; reason: string }[] = []) => {
    const resolved = await resolveWrite(await openWriteScope(root, protect), relative);
    return resolved.ok ? 'accepted' : resolved.reason;
  };

  it('refuses .git reached through a symlinked folder (the fsmonitor and hook attacks)', async () => {
    const root = project();
    symlinkSync('.git', path.join(root, 'gitdir-link'));
    symlinkSync(path.join('.git', 'hooks'), path.join(root, 'hooks-link'));
    assert.equal(await reasonFor(root, 'gitdir-link/config'), 'a symlink leads into .git');
    assert.equal(await reasonFor(root, 'hooks-link/pre-commit'), 'a symlink leads into .git');
    assert.equal(await reasonFor(root, 'src/app.go'), 'accepted');
  });

  it('refuses the folder a .git file points at, at the root and in a nested working tree', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'et-gitfile-'));
    mkdirSync(path.join(root, 'store', 'hooks'), { recursive: true });
    writeFileSync(path.join(root, '.git'), 'gitdir: store\n');
    assert.equal(await reasonFor(root, 'store/hooks/pre-commit'), "it writes into the repository's git directory");
    // A submodule's git directory, wherever it lives, is known by its shape: HEAD, objects/, refs/.
    for (const folder of ['objects', 'refs', 'hooks']) mkdirSync(path.join(root, 'modules', 'sub', folder), { recursive: true });
    writeFileSync(path.join(root, 'modules', 'sub', 'HEAD'), 'ref: refs/heads/main\n');
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'sub', '.git'), 'gitdir: ../modules/sub\n');
    assert.equal(await reasonFor(root, 'modules/sub/config'), 'it writes into a git directory');
    assert.equal(await reasonFor(root, 'modules/sub/hooks/post-merge'), 'it writes into a git directory');
    assert.equal(await reasonFor(root, 'modules/README.md'), 'accepted');
    assert.equal(await reasonFor(root, 'sub/main.c'), 'accepted');
  });

  it("refuses core.hooksPath, the repository's around the output folder included", async () => {
    const root = project();
    writeFileSync(path.join(root, '.git', 'config'), '[core]\n\tbare = false\n[Core]\n\tHooksPath = "tools/hooks" ; shared hooks\n');
    assert.equal(await reasonFor(root, 'tools/hooks/pre-commit'), "it writes into git's hooks folder (core.hooksPath)");
    assert.equal(await reasonFor(root, 'tools/lint.sh'), 'accepted');
    // The output folder is a subfolder of the repository: its hooks path is still guarded.
    writeFileSync(path.join(root, '.git', 'config'), '[core]\n\thooksPath = app/hooks\n');
    mkdirSync(path.join(root, 'app'));
    assert.equal(await reasonFor(path.join(root, 'app'), 'hooks/post-checkout'), "it writes into git's hooks folder (core.hooksPath)");
  });

  it("refuses the run's config and log folder, and files that are symlinks", async () => {
    const root = project();
    const protect = [
      { path: path.join(root, 'electrictown.yaml'), reason: "it is the run's own config" },
      { path: path.join(root, '.electrictown'), reason: "it writes into the run's log folder" },
    ];
    assert.equal(await reasonFor(root, 'electrictown.yaml', protect), "it is the run's own config");
    assert.equal(await reasonFor(root, '.electrictown/2026-12-06_abc/run.json', protect), "it writes into the run's log folder");
    assert.equal(await reasonFor(root, '.electrictown-notes.md', protect), 'accepted');
    writeFileSync(path.join(root, 'real.txt'), 'x');
    symlinkSync('real.txt', path.join(root, 'alias.txt'));
    symlinkSync('.git/hooks/pre-commit', path.join(root, 'dangling'));
    assert.equal(await reasonFor(root, 'alias.txt'), 'it is a symlink; a run does not write through or replace symlinks');
    assert.equal(await reasonFor(root, 'dangling'), 'it is a symlink; a run does not write through or replace symlinks');
  });

  it('reads git files as git does', () => {
    assert.equal(parseGitdirFile('\uFEFFgitdir: ../.git/modules/sub \n'), '../.git/modules/sub');
    assert.equal(parseGitdirFile('nothing here'), undefined);
    assert.equal(parseHooksPath('[core]\n  hookspath=.husky # comment\n'), '.husky');
    assert.equal(parseHooksPath('[remote "origin"]\n  hooksPath = nope\n[core] hooksPath = inline\n'), 'inline');
    assert.equal(parseHooksPath('[user]\n  hooksPath = x\n'), undefined);
  });
});
