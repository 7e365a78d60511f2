import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildProjectIndex } from '../../../server/src/project-map';
import * as samples from '../../fixtures/project-map/samples';
import { writeProject } from '../../helpers/temp-project';

/** Seven files (five parsed), a binary by its extension and one by its bytes; the cache in the log folder. */
function project() {
  const root = writeProject({ ...samples.GO_PROJECT, 'web/server.ts': samples.TYPESCRIPT_FILE, 'tools/items.py': samples.PYTHON_FILE, 'logo.png': Buffer.from([1, 2, 3]), 'blob.dat2': Buffer.from([0, 0, 0]) });
  const cacheFile = path.join(root, '.electrictown', 'map-cache.json');
  return { root, cacheFile, build: () => buildProjectIndex({ root, cacheFile, exclude: ['.electrictown'] }) };
}

describe('project map: the cache', () => {
  it('parses every source file once; a second build of the unchanged project parses nothing and gives the same index', async () => {
    const { cacheFile, build } = project();
    const first = await build();
    assert.equal(first.stats.parsed, 5);
    assert.equal(first.stats.fromCache, 0);
    const second = await build();
    assert.equal(second.stats.parsed, 0);
    // The file binary by its bytes is not read again either.
    assert.equal(second.stats.fromCache, 8);
    assert.deepEqual(second.files, first.files);
    assert.deepEqual(second.skipped, first.skipped);
    // Written whole, through a temporary file that is gone.
    assert.deepEqual(readdirSync(path.dirname(cacheFile)), ['map-cache.json']);
  });

  it('re-parses only a file whose size or mtime changed, and forgets a deleted one', async () => {
    const { root, cacheFile, build } = project();
    await build();
    const store = path.join(root, 'store.go');
    writeFileSync(store, `${readFileSync(store, 'utf8')}\nfunc Extra() {}\n`);
    const touched = await build();
    assert.equal(touched.stats.parsed, 1);
    assert.ok(touched.files.find((file) => file.path === 'store.go')?.definitions.some((definition) => definition.name === 'Extra'));
    // Same size, new mtime: parsed again too.
    const later = new Date(statSync(store).mtimeMs + 5000);
    utimesSync(store, later, later);
    assert.equal((await build()).stats.parsed, 1);
    writeFileSync(path.join(root, 'main.go'), '');
    const emptied = await build();
    assert.equal(emptied.stats.parsed, 1);
    assert.deepEqual(emptied.files.find((file) => file.path === 'main.go')?.definitions, []);
    assert.equal((await build()).stats.parsed, 0);
    rmSync(path.join(root, 'tools', 'items.py'));
    assert.equal((await build()).files.some((file) => file.path === 'tools/items.py'), false);
    assert.equal(Object.hasOwn(JSON.parse(readFileSync(cacheFile, 'utf8')).files, 'tools/items.py'), false);
  });

  it('ignores a corrupt cache, says so, and writes a good one', async () => {
    const { cacheFile, build } = project();
    const reference = await build();
    for (const corrupt of ['{"stamp": "1:abc", "files": {"main.go": {"size": "x"', 'null', '{"files": 3}']) {
      writeFileSync(cacheFile, corrupt);
      const rebuilt = await build();
      assert.equal(rebuilt.stats.parsed, 5);
      assert.deepEqual(rebuilt.files, reference.files);
      assert.match(rebuilt.notes.join('\n'), /the map cache .*map-cache\.json was (not valid JSON|not a map cache): rebuilt/);
      assert.equal((await build()).stats.parsed, 0);
    }
  });

  it('does not reuse an entry whose shape is wrong', async () => {
    const { cacheFile, build } = project();
    await build();
    const contents = JSON.parse(readFileSync(cacheFile, 'utf8'));
    contents.files['main.go'] = { size: contents.files['main.go'].size, mtimeMs: contents.files['main.go'].mtimeMs, definitions: 'nope' };
    writeFileSync(cacheFile, JSON.stringify(contents));
    assert.equal((await build()).stats.parsed, 1);
  });

  it('keeps the map working when the cache cannot be written', async () => {
    const { root } = project();
    const cacheFile = path.join(root, 'main.go', 'cache.json');
    const index = await buildProjectIndex({ root, cacheFile });
    assert.equal(index.files.length, 7);
    assert.match(index.notes.join('\n'), /could not be written/);
  });
});
