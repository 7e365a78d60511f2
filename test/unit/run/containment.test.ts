import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkRelativePath, resolveInside } from '../../../server/src/run/containment';

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
