// A run's checkpoint in its folder: the first accept of a file keeps what it held before the run, later
// ones only note what the run put there; a file that did not exist is noted, not stored; bad paths and
// a broken manifest are refused naming what is wrong.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CheckpointStore, mergeCheckpoint, readCheckpoint, storedPath } from '../../../server/src/run/checkpoint-store';

describe('checkpoints of accepted runs', () => {
  let folder: string;
  beforeEach(async () => (folder = await mkdtemp(path.join(tmpdir(), 'et-checkpoint-'))));
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it('merges: a file already kept keeps its before, takes the new after', () => {
    const first = mergeCheckpoint(undefined, [{ path: 'a.md', before: 'old', afterSha256: 'h1' }], 'T1');
    assert.deepEqual(first, { manifest: { version: 1, at: 'T1', files: { 'a.md': { existed: true, afterSha256: 'h1' } } }, fresh: [{ path: 'a.md', before: 'old', afterSha256: 'h1' }] });
    const second = mergeCheckpoint(first.manifest, [{ path: 'a.md', before: 'newer', afterSha256: 'h2' }, { path: 'b.md', before: null, afterSha256: 'h3' }], 'T2');
    assert.deepEqual(second.manifest, { version: 1, at: 'T1', files: { 'a.md': { existed: true, afterSha256: 'h2' }, 'b.md': { existed: false, afterSha256: 'h3' } } });
    assert.deepEqual(second.fresh.map((file) => file.path), ['b.md']);
  });

  it('keeps the contents from before in the run folder, once', async () => {
    const store = new CheckpointStore();
    assert.deepEqual(await store.keep(folder, [{ path: 'src/a.md', before: 'before the run\n', afterSha256: 'h1' }], '2026-01-01T00:00:00.000Z'), ['src/a.md']);
    // A second hunk of the same file, accepted later: the content from before the run stays.
    assert.deepEqual(await store.keep(folder, [{ path: 'src/a.md', before: 'after one hunk\n', afterSha256: 'h2' }, { path: 'new.md', before: null, afterSha256: 'h3' }], '2026-01-01T00:01:00.000Z'), ['src/a.md', 'new.md']);
    assert.equal(await readFile(storedPath(folder, 'src/a.md'), 'utf8'), 'before the run\n');
    await assert.rejects(readFile(storedPath(folder, 'new.md'), 'utf8'), /ENOENT/);
    assert.deepEqual(await readCheckpoint(folder), { version: 1, at: '2026-01-01T00:00:00.000Z', files: { 'src/a.md': { existed: true, afterSha256: 'h2' }, 'new.md': { existed: false, afterSha256: 'h3' } } });
  });

  it('refuses a path that is not a clean relative one, and names a broken manifest', async () => {
    const store = new CheckpointStore();
    assert.throws(() => store.keep(folder, [{ path: '../escape.md', before: 'x', afterSha256: 'h' }], 'T'), /files: "\.\.\/escape\.md" is not a proposed path \(it climbs out with \.\.\)/);
    assert.equal(await readCheckpoint(folder), undefined);
    await store.keep(folder, [{ path: 'a.md', before: 'x', afterSha256: 'h' }], 'T');
    await writeFile(path.join(folder, 'checkpoint', 'checkpoint.json'), '{"version":2}');
    await assert.rejects(readCheckpoint(folder), (error: Error) => error.message === `${path.join(folder, 'checkpoint', 'checkpoint.json')} is not a checkpoint (its fields are not version 1, at and files)`);
  });
});
