import assert from 'node:assert/strict';
import { buildProjectIndex, mentionsIn, rankFiles } from '../../../server/src/project-map';
import { pageRank } from '../../../server/src/project-map/page-rank';
import { referenceGraph } from '../../../server/src/project-map/rank';
import { GO_PROJECT } from '../../fixtures/project-map/samples';
import { indexOf, type FileSketch } from '../../helpers/project-index';
import { writeProject } from '../../helpers/temp-project';

describe('project map: ranking', () => {
  it('puts the files a task names first, then the files they use, then the rest by rank', async () => {
    const index = await buildProjectIndex({ root: writeProject(GO_PROJECT) });
    // handler.go uses Item, All and Add from store.go; only main.go uses handler.go.
    const focus = mentionsIn('Add a DeleteItem handler to handler.go', index);
    assert.deepEqual(focus.files, ['handler.go']);
    assert.deepEqual(rankFiles(index, focus).slice(0, 2), ['handler.go', 'store.go']);
    assert.deepEqual(rankFiles(index, mentionsIn('main.go should listen on port 9090', index)).slice(0, 3), ['main.go', 'handler.go', 'store.go']);
  });

  it('puts the files defining the names a task mentions before the rest, unless too many define one', async () => {
    const index = await buildProjectIndex({ root: writeProject(GO_PROJECT) });
    const focus = mentionsIn('CreateItem should refuse an empty name', index);
    assert.deepEqual(focus, { files: [], identifiers: ['CreateItem'] });
    assert.equal(rankFiles(index, focus)[0], 'handler.go');
    const files: Record<string, FileSketch> = { 'a.go': { uses: ['Load'] }, 'load.go': { defines: ['Load'] } };
    for (let file = 0; file < 30; file++) files[`z${file}.go`] = { defines: ['String'] };
    const common = indexOf(files);
    assert.equal(rankFiles(common, { files: [], identifiers: ['Load'] })[0], 'load.go');
    assert.equal(rankFiles(common, { files: [], identifiers: ['String'] })[0], 'load.go');
  });

  it('without a task, ranks the files the project uses most first', async () => {
    const index = await buildProjectIndex({ root: writeProject(GO_PROJECT) });
    assert.deepEqual(rankFiles(index, { files: [], identifiers: [] }).slice(0, 2), ['store.go', 'handler.go']);
    const many = indexOf({
      'a.go': { uses: ['ParseConfig'] },
      'b.go': { uses: ['ParseConfig', 'Render'] },
      'c.go': { uses: ['ParseConfig'] },
      'config.go': { defines: ['ParseConfig'] },
      'render.go': { defines: ['Render'] },
    });
    assert.deepEqual(rankFiles(many, { files: [], identifiers: [] }).slice(0, 2), ['config.go', 'render.go']);
  });

  it('orders the used files by how much the named file uses them: a long specific name over a short common one', () => {
    const index = indexOf({
      'task.go': { uses: ['get', 'parseConfigFile'] },
      'common.go': { defines: ['get'] },
      'config.go': { defines: ['parseConfigFile'] },
      'other.go': { uses: ['get', 'get2'] },
    });
    assert.deepEqual(rankFiles(index, { files: ['task.go'], identifiers: [] }).slice(0, 3), ['task.go', 'config.go', 'common.go']);
  });

  it('gives a name defined in very many files no edges (it cannot say which one is meant)', () => {
    const files: Record<string, FileSketch> = { 'user.go': { uses: ['String', 'Special'] }, 'special.go': { defines: ['Special'] } };
    for (let index = 0; index < 30; index++) files[`type${String(index).padStart(2, '0')}.go`] = { defines: ['String'] };
    const graph = referenceGraph(indexOf(files));
    const edges = graph.edges.get(graph.paths.indexOf('user.go'));
    assert.deepEqual([...(edges?.keys() ?? [])].map((to) => graph.paths[to]), ['special.go']);
  });

  it('lists every file exactly once, whatever the focus', async () => {
    const index = await buildProjectIndex({ root: writeProject(GO_PROJECT) });
    for (const focus of [
      { files: [], identifiers: [] },
      { files: ['main.go', 'main.go', 'missing.go'], identifiers: ['Store', 'Nope'] },
    ]) {
      const ranked = rankFiles(index, focus);
      assert.deepEqual([...ranked].sort(), index.files.map((file) => file.path).sort());
    }
  });
});

describe('project map: what a task mentions', () => {
  const index = indexOf({
    'cmd/server/main.go': { defines: ['main'] },
    'internal/handlers/item.go': { defines: ['ListItems', 'Go'] },
    'web/a/index.ts': {},
    'web/b/index.ts': {},
    'web/c/index.ts': {},
    'web/d/index.ts': {},
    'Makefile': {},
    'docs/guide.md': {},
  });

  it('finds paths written whole, from a folder below the root, or by a basename few files share', () => {
    assert.deepEqual(mentionsIn('Fix cmd/server/main.go.', index).files, ['cmd/server/main.go']);
    assert.deepEqual(mentionsIn('see ./cmd/server/main.go and `handlers/item.go`', index).files, ['cmd/server/main.go', 'internal/handlers/item.go']);
    assert.deepEqual(mentionsIn('in item.go, and the Makefile', index).files, ['internal/handlers/item.go', 'Makefile']);
    assert.deepEqual(mentionsIn('windows style: internal\\handlers\\item.go', index).files, ['internal/handlers/item.go']);
    // Four files are called index.ts: the name picks none. A plain word is not a file.
    assert.deepEqual(mentionsIn('update index.ts and main and guide', index).files, []);
  });

  it('finds names the project defines, of three characters or more, as written', () => {
    assert.deepEqual(mentionsIn('ListItems should page; main calls it. Go is short; listitems is not it', index).identifiers, ['ListItems', 'main']);
  });
});

describe('PageRank', () => {
  it('ranks a node many point at first, and a personalised node and its targets over the rest', () => {
    const edges = new Map([
      [0, new Map([[2, 1]])],
      [1, new Map([[2, 1]])],
      [3, new Map([[4, 1]])],
    ]);
    const plain = pageRank(5, edges);
    assert.ok(plain[2] > plain[4] && plain[4] > plain[0]);
    assert.ok(Math.abs(plain.reduce((sum, value) => sum + value, 0) - 1) < 1e-9);
    const personal = pageRank(5, edges, new Map([[3, 1]]));
    assert.ok(personal[4] > personal[2] && personal[3] > personal[2]);
    assert.equal(personal[0], 0);
  });
});
