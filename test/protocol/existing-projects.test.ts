// `et run` inside existing TypeScript and Python projects, checked by their own toolchains after: tsc
// type-checks the TypeScript one, unittest runs the Python one's tests. Two subtasks edit two files and
// share a third; edits written with the wrong indentation are matched and re-indented, not refused —
// what Python's meaning depends on.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { editBlock } from '../helpers/fake-team';
import { runOn } from '../helpers/existing-project';

const TSC = path.join(__dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');

const review = 'SCORE: 9\nREASON: Correct and small.\nFINDINGS: none';

describe('et run on existing TypeScript and Python projects', function () {
  this.timeout(60_000);

  it('TypeScript: parallel edits to two files and a shared one, one of them re-indented, and tsc passes', async () => {
    const STORE = 'export class Store {\n  private readonly items = new Map<string, string>();\n\n  put(id: string, name: string): void {\n    this.items.set(id, name);\n  }\n\n  list(): string[] {\n    return [...this.items.values()];\n  }\n}\n';
    const API = "import { Store } from './store';\n\nconst store = new Store();\n\nexport function createItem(id: string, name: string): void {\n  store.put(id, name);\n}\n\nexport function listItems(): string[] {\n  return store.list();\n}\n";
    const INDEX = "export { Store } from './store';\nexport { createItem, listItems } from './api';\n\nexport const VERSION = '1.0.0';\n";
    const files = { 'package.json': '{ "name": "items", "private": true }\n', 'tsconfig.json': '{ "compilerOptions": { "strict": true, "target": "es2020", "module": "commonjs", "noEmit": true, "types": [] }, "include": ["src"] }\n', 'src/store.ts': STORE, 'src/api.ts': API, 'src/index.ts': INDEX };
    const { result, record, read, project } = await runOn(files, ['--no-coordinate', 'Add removing items: Store.remove, an API function, and export it'], (call) => {
      if (call.phase === 'decompose') return '1. Add Store.remove(id) to src/store.ts and bump VERSION in src/index.ts [files: src/store.ts, src/index.ts]\n2. Add deleteItem(id) to src/api.ts and export it from src/index.ts [files: src/api.ts, src/index.ts]';
      if (call.phase === 'work' && call.subtask === 1) {
        // Written without the class's indentation, as models often copy a method.
        return `${editBlock('src/store.ts', 'list(): string[] {\n  return [...this.items.values()];\n}', 'remove(id: string): boolean {\n  return this.items.delete(id);\n}\n\nlist(): string[] {\n  return [...this.items.values()];\n}', 'ts')}\n\n${editBlock('src/index.ts', "export const VERSION = '1.0.0';", "export const VERSION = '1.1.0';", 'ts')}`;
      }
      if (call.phase === 'work' && call.subtask === 2) {
        return `Adding the function and its export.\n\n${editBlock('src/api.ts', 'export function listItems(): string[] {', 'export function deleteItem(id: string): boolean {\n  return store.remove(id);\n}\n\nexport function listItems(): string[] {', 'ts')}\n\n${editBlock('src/index.ts', "export { createItem, listItems } from './api';", "export { createItem, deleteItem, listItems } from './api';", 'ts')}`;
      }
      if (call.phase === 'review') return review;
      return 'Items can be removed: Store.remove and deleteItem.';
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(read('src/store.ts'), STORE.replace('  list(): string[] {', '  remove(id: string): boolean {\n    return this.items.delete(id);\n  }\n\n  list(): string[] {'));
    assert.equal(read('src/index.ts'), "export { Store } from './store';\nexport { createItem, deleteItem, listItems } from './api';\n\nexport const VERSION = '1.1.0';\n");
    assert.ok(read('src/api.ts').includes('export function createItem') && read('src/api.ts').includes('export function deleteItem'));
    execFileSync(process.execPath, [TSC, '-p', project]);
    const store = record.changes?.find((change) => change.path === 'src/store.ts');
    assert.deepEqual(store?.edits.map((edit) => [edit.kind, edit.whitespace, edit.exact]), [['edit', 1, 0]]);
    assert.deepEqual([...(record.changes?.find((change) => change.path === 'src/index.ts')?.subtasks ?? [])].sort(), [1, 2]);
  });

  it('Python: a method written without its class indentation lands at the right one, a test beside it, and the tests pass', async () => {
    const ITEMS = 'class Items:\n    """Items in memory."""\n\n    def __init__(self):\n        self._items = {}\n\n    def put(self, item_id, name):\n        self._items[item_id] = name\n\n    def names(self):\n        return sorted(self._items.values())\n';
    const TESTS = 'import unittest\n\nfrom items import Items\n\n\nclass ItemsTest(unittest.TestCase):\n    def test_put(self):\n        items = Items()\n        items.put("a", "apple")\n        self.assertEqual(items.names(), ["apple"])\n\n\nif __name__ == "__main__":\n    unittest.main()\n';
    const { result, read, project, calls } = await runOn({ 'items.py': ITEMS, 'test_items.py': TESTS }, ['--no-coordinate', 'Add Items.remove with a test'], (call) => {
      if (call.phase === 'decompose') return '1. Add Items.remove(item_id) to items.py [files: items.py]\n2. Add test_remove to test_items.py [files: test_items.py] [depends: 1]';
      // The model copied the method without its class indentation.
      if (call.phase === 'work' && call.subtask === 1) return editBlock('items.py', 'def names(self):\n    return sorted(self._items.values())', 'def remove(self, item_id):\n    """Removes an item; True when it was there."""\n    return self._items.pop(item_id, None) is not None\n\ndef names(self):\n    return sorted(self._items.values())', 'python');
      if (call.phase === 'work' && call.subtask === 2) return editBlock('test_items.py', '        self.assertEqual(items.names(), ["apple"])\n', '        self.assertEqual(items.names(), ["apple"])\n\n    def test_remove(self):\n        items = Items()\n        items.put("a", "apple")\n        self.assertTrue(items.remove("a"))\n        self.assertFalse(items.remove("a"))\n        self.assertEqual(items.names(), [])\n', 'python');
      if (call.phase === 'review') return review;
      return 'Items.remove, tested.';
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.ok(read('items.py').includes('    def remove(self, item_id):\n        """Removes an item; True when it was there."""\n        return self._items.pop(item_id, None) is not None\n\n    def names(self):'), read('items.py'));
    // Subtask 2 depends on 1 and names only test_items.py: its dependency's output shows it the new method.
    assert.match(calls.find((call) => call.phase === 'work' && call.subtask === 2)?.user ?? '', /Output of subtask 1[\s\S]*def remove/);
    const tests = spawnSync('python3', ['-m', 'unittest', '-v'], { cwd: project, encoding: 'utf8' });
    assert.equal(tests.status, 0, tests.stderr);
    assert.match(tests.stderr, /test_remove \(test_items\.ItemsTest[^)]*\) \.\.\. ok/);
    assert.match(tests.stderr, /Ran 2 tests/);
  });
});
