// --iterate on a Python project decided by its gates: compileall, then its tests (unittest, or pytest
// where it is installed); a test that fails in code another worker wrote goes to that worker, by the
// traceback, and the run ends when the tests pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runOn } from '../helpers/existing-project';
import { editBlock, fileBlock } from '../helpers/fake-team';

const ITEMS = 'class Items:\n    """Items in memory."""\n\n    def __init__(self):\n        self._items = {}\n\n    def put(self, item_id, name):\n        self._items[item_id] = name\n';
// remove() pops from the wrong dict name: an AttributeError raised in items.py, not in the test.
const REMOVE_BUGGY = editBlock('items.py', '    def put(self, item_id, name):\n        self._items[item_id] = name\n', '    def put(self, item_id, name):\n        self._items[item_id] = name\n\n    def remove(self, item_id):\n        return self.items.pop(item_id, None) is not None\n', 'python');
const REMOVE_FIX = editBlock('items.py', '        return self.items.pop(item_id, None) is not None', '        return self._items.pop(item_id, None) is not None', 'python');
const TESTS = 'import unittest\n\nfrom items import Items\n\n\nclass ItemsTest(unittest.TestCase):\n    def test_remove(self):\n        items = Items()\n        items.put("a", "apple")\n        self.assertTrue(items.remove("a"))\n        self.assertFalse(items.remove("a"))\n\n\nif __name__ == "__main__":\n    unittest.main()\n';

describe('et run --iterate: gates on a Python project', function () {
  this.timeout(120_000);

  it('sends a test that fails inside another worker’s code to that worker, by the traceback, and ends green', async () => {
    const { result, record, project, calls } = await runOn({ 'items.py': ITEMS }, ['--no-coordinate', '--iterate', 'Add Items.remove with a test'], (call) => {
      switch (call.phase) {
        case 'decompose':
          return '1. Add Items.remove(item_id) to items.py. [files: items.py]\n2. Test it in test_items.py. [files: test_items.py]';
        case 'work':
          return call.subtask === 1 ? REMOVE_BUGGY : fileBlock('test_items.py', TESTS);
        case 'review':
          return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
        case 'fix':
          return REMOVE_FIX;
        default:
          return 'Items.remove, tested.';
      }
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const fixes = calls.filter((call) => call.phase === 'fix');
    assert.deepEqual(fixes.map((call) => call.subtask), [1]);
    assert.match(fixes[0].user, /items\.py — as it is now:[\s\S]*Errors:\n- items\.py:\d+: test [^\n]*test_remove[^\n]*failed: [\s\S]*AttributeError/);
    const gates = record.build?.attempts.map((attempt) => [attempt.iteration, attempt.gate, attempt.status]);
    assert.deepEqual(gates, [
      [1, 'compile', 'passed'],
      [1, 'test', 'failed'],
      [2, 'compile', 'passed'],
      [2, 'test', 'passed'],
    ]);
    const tests = spawnSync('python3', ['-m', 'unittest', '-v'], { cwd: project, encoding: 'utf8' });
    assert.equal(tests.status, 0, tests.stderr);
  });
});
