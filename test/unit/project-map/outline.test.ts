import assert from 'node:assert/strict';
import { definitionsOf, enclosingDefinitions } from '../../../server/src/project-map';
import { mergeRanges } from '../../../server/src/project-map/outline';
import { GO_PROJECT, PYTHON_FILE } from '../../fixtures/project-map/samples';

describe('project map: one file’s outline', () => {
  it('gives the source of the definitions around the given lines, each headed with its lines', async () => {
    const handler = GO_PROJECT['handler.go'];
    // Line 15 is inside CreateItem (13-17); line 10 inside ListItems (9-11).
    assert.equal(
      await enclosingDefinitions('handler.go', handler, [15, 10, 16]),
      [
        '@@ lines 9-11 @@',
        'func ListItems(w http.ResponseWriter, r *http.Request) {',
        '\tjson.NewEncoder(w).Encode(store.All())',
        '}',
        '@@ lines 13-17 @@',
        'func CreateItem(w http.ResponseWriter, r *http.Request) {',
        '\tvar item Item',
        '\tjson.NewDecoder(r.Body).Decode(&item)',
        '\tstore.Add(item)',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('takes the innermost definition: a method, not its whole class', async () => {
    const text = await enclosingDefinitions('items.py', PYTHON_FILE, [21]);
    assert.equal(text, '@@ lines 20-21 @@\n    def size(self) -> int:\n        return len(self.items)\n');
  });

  it('shows a line outside every definition with two lines either side, and ignores lines past the end', async () => {
    const text = await enclosingDefinitions('handler.go', GO_PROJECT['handler.go'], [4, 999, 0]);
    assert.equal(text, '@@ lines 2-6 @@\n\nimport (\n\t"encoding/json"\n\t"net/http"\n)\n');
    assert.equal(await enclosingDefinitions('notes.txt', 'a\nb\nc\n', [1]), '@@ lines 1-3 @@\na\nb\nc\n');
  });

  it('lists a file’s definitions by name and kind, to check a rewrite kept them', async () => {
    const before = (await definitionsOf('store.go', GO_PROJECT['store.go'])).map(({ name, kind }) => `${kind} ${name}`);
    const rewritten = GO_PROJECT['store.go'].replace(/func \(s \*Store\) Add[\s\S]*?\n}\n/, '');
    const after = new Set((await definitionsOf('store.go', rewritten)).map(({ name, kind }) => `${kind} ${name}`));
    assert.deepEqual(
      before.filter((definition) => !after.has(definition)),
      ['method Add'],
    );
  });

  it('merges overlapping and touching line ranges', () => {
    assert.deepEqual(
      mergeRanges([
        { line: 10, endLine: 12 },
        { line: 1, endLine: 3 },
        { line: 4, endLine: 5 },
        { line: 11, endLine: 20 },
      ]),
      [
        { line: 1, endLine: 5 },
        { line: 10, endLine: 20 },
      ],
    );
  });
});
