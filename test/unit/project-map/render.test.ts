import assert from 'node:assert/strict';
import { buildProjectIndex, DEFAULT_MAP_TOKENS, mapForFiles, mentionsIn, rankFiles, renderMap } from '../../../server/src/project-map';
import type { Definition } from '../../../server/src/project-map';
import { estimateTokens } from '../../../server/src/providers/token-estimate';
import { GO_PROJECT } from '../../fixtures/project-map/samples';
import { indexOf, type FileSketch } from '../../helpers/project-index';
import { writeProject } from '../../helpers/temp-project';

/** 300 files of five functions each, every one using the previous file's functions. */
function largeIndex() {
  const files: Record<string, FileSketch> = {};
  for (let file = 0; file < 300; file++) {
    const name = (index: number) => `Handle${file}Part${index}`;
    files[`pkg${Math.floor(file / 10)}/file${String(file).padStart(3, '0')}.go`] = {
      defines: [0, 1, 2, 3, 4].map(name),
      uses: file > 0 ? [`Handle${file - 1}Part0`] : [],
    };
  }
  return indexOf(files);
}

const pathLines = (map: string) => map.split('\n').filter((line) => line !== '' && !line.startsWith(' ') && !line.startsWith('…'));

describe('project map: rendering', () => {
  it('renders the files in ranked order with their signatures, a method under its type', async () => {
    const index = await buildProjectIndex({ root: writeProject(GO_PROJECT) });
    const map = renderMap(index, rankFiles(index, mentionsIn('handler.go', index)), DEFAULT_MAP_TOKENS);
    assert.equal(
      map,
      [
        'handler.go',
        '  func ListItems(w http.ResponseWriter, r *http.Request)',
        '  func CreateItem(w http.ResponseWriter, r *http.Request)',
        'store.go',
        '  type Item struct',
        '  type Store struct',
        '  type Lister interface',
        '    All() []Item',
        '  const MaxItems = 100',
        '  func (s *Store) All() []Item',
        '  func (s *Store) Add(item Item)',
        'README.md',
        'go.mod',
        'main.go',
        '  func main()',
        '',
      ].join('\n'),
    );
  });

  it('stays within the token budget and ends saying how many files it left out', () => {
    const index = largeIndex();
    const ranked = rankFiles(index, { files: [], identifiers: [] });
    for (const budget of [40, 256, 1024, DEFAULT_MAP_TOKENS]) {
      const map = renderMap(index, ranked, budget);
      assert.ok(estimateTokens(map) <= budget, `${estimateTokens(map)} tokens for a budget of ${budget}`);
      const shown = pathLines(map).length;
      assert.ok(shown > 0 && shown < 300, `${shown} files shown for ${budget}`);
      assert.equal(map.trimEnd().split('\n').at(-1), `… ${300 - shown} more files not shown`);
      // And uses most of it: another file's path would not have fitted.
      assert.ok(estimateTokens(map) > budget - 12, `${estimateTokens(map)} tokens of ${budget}`);
    }
  });

  it('lists the files after the first whose symbols do not fit by path only', () => {
    const index = largeIndex();
    const map = renderMap(index, rankFiles(index, { files: [], identifiers: [] }), 512);
    const lines = map.trimEnd().split('\n');
    const firstBare = lines.findIndex((line, at) => !line.startsWith(' ') && !(lines[at + 1] ?? '').startsWith(' '));
    assert.ok(firstBare > 0);
    assert.ok(lines.slice(firstBare).every((line) => !line.startsWith(' ')), 'no symbols after a bare path');
  });

  it('shows everything when it fits, and the index’s notes at the end', () => {
    const index = indexOf({ 'a.go': { defines: ['A'] }, 'b.go': { uses: ['A'] } }, { notes: ['9 files not mapped: the limit of 5'] });
    assert.equal(renderMap(index, rankFiles(index, { files: [], identifiers: [] }), 100), 'a.go\n  func A()\nb.go\n… 9 files not mapped: the limit of 5\n');
    assert.equal(renderMap(index, ['a.go', 'b.go'], 1), '');
  });

  it('shows the 20 definitions other files use most of a file with more, and counts the rest', () => {
    const definitions: Definition[] = Array.from({ length: 60 }, (_, index) => ({ name: `F${index}`, kind: 'function', signature: `func F${index}()`, line: index + 1, endLine: index + 1 }));
    const index = indexOf({ 'big.go': { definitions }, 'user.go': { uses: ['F59', 'F58'] } });
    const map = renderMap(index, ['big.go', 'user.go'], DEFAULT_MAP_TOKENS);
    const lines = map.split('\n');
    assert.equal(lines.filter((line) => line.startsWith('  func')).length, 20);
    assert.ok(map.includes('  func F17()\n  func F58()\n  func F59()\n  … 40 more definitions\nuser.go\n'));
    assert.ok(map.includes('big.go\n  func F0()\n'));
  });

  it('maps the part of the project around given files: theirs, and the files they use and that use them', async () => {
    const index = await buildProjectIndex({ root: writeProject(GO_PROJECT) });
    const part = mapForFiles(index, ['handler.go'], DEFAULT_MAP_TOKENS);
    assert.deepEqual(pathLines(part), ['handler.go', 'store.go', 'main.go']);
    assert.ok(part.includes('  func (s *Store) Add(item Item)\n'));
    assert.deepEqual(pathLines(mapForFiles(index, ['store.go'], DEFAULT_MAP_TOKENS)), ['store.go', 'handler.go']);
    assert.ok(estimateTokens(mapForFiles(index, ['handler.go'], 30)) <= 30);
  });
});
