// --iterate on a Python project decided by its gates: compileall, then its tests (unittest, or pytest
// where it is installed); a test that fails in code another worker wrote goes to that worker, by the
// traceback, and the run ends when the tests pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runOn } from '../helpers/existing-project';
import { editBlock, fileBlock } from '../helpers/fake-team';

const ITEMS = 'class Items:\n    """Items in memory."""\n\n    def __init__(self):\n        self._items = {}\n\n    def put(self, item_id, name):\n        self._items[item_id] = name\n';
// remove() pops from the wrong dict name: an AttributeError raised in items.py, not in the test.
const REMOVE_BUGGY = editBlock('items.py', '    def put(self, item_id, name):\n        self._items[item_id] = name\n', '    def put(self, item_id, name):\n        self._items[item_id] = name\n\n    def remove(self, item_id):\n        return self.items.pop(item_id, None) is not None\n', 'python');
const REMOVE_FIX = editBlock('items.py', '        return self.items.pop(item_id, None) is not None', '        return self._items.pop(item_id, None) is not None', 'python');
const TESTS = 'import unittest\n\nfrom items import Items\n\n\nclass ItemsTest(unittest.TestCase):\n    def test_remove(self):\n        items = Items()\n        items.put("a", "apple")\n        self.assertTrue(items.remove("a"))\n        self.assertFalse(items.remove("a"))\n\n\nif __name__ == "__main__":\n    unittest.main()\n';

/**
 * Whether this machine can do what the venv setup step does: make a venv that sees pytest, and install
 * a project into it with pip (which needs setuptools from an index pip reaches). Tried, not guessed.
 */
function canInstallPythonProjects(): string | undefined {
  const folder = mkdtempSync(path.join(tmpdir(), 'et-pyprobe-'));
  try {
    const project = path.join(folder, 'probe');
    mkdirSync(path.join(project, 'src', 'probe'), { recursive: true });
    writeFileSync(path.join(project, 'src', 'probe', '__init__.py'), '');
    writeFileSync(path.join(project, 'pyproject.toml'), PYPROJECT('probe'));
    const venv = path.join(folder, 'venv');
    const steps = [
      ['python3', '-m', 'venv', '--system-site-packages', venv],
      [`${venv}/bin/python`, '-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '-e', project],
      [`${venv}/bin/python`, '-c', 'import pytest, probe'],
    ];
    for (const [command, ...args] of steps) {
      const done = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
      if (done.status !== 0) return `${[command, ...args].join(' ')}: ${(done.stderr || done.error?.message || '').trim().split('\n').at(-1)}`;
    }
    return undefined;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const PYPROJECT = (name: string) => `[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "${name}"\nversion = "0.1.0"\n\n[tool.setuptools.packages.find]\nwhere = ["src"]\n`;

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

  it('installs a src-layout package into a venv under the log folder once, runs pytest with it, and sends the failure to its owner', async function () {
    const missing = canInstallPythonProjects();
    if (missing) {
      console.log(`      skipped: this test needs python3 with venv, pytest, and pip able to install a setuptools project (${missing})`);
      this.skip();
    }
    const files = {
      'pyproject.toml': PYPROJECT('inventory'),
      'src/inventory/__init__.py': '',
      'src/inventory/items.py': ITEMS,
    };
    const PYTESTS = 'from inventory.items import Items\n\n\ndef test_remove():\n    items = Items()\n    items.put("a", "apple")\n    assert items.remove("a")\n    assert not items.remove("a")\n';
    const { result, record, project, calls } = await runOn(files, ['--no-coordinate', '--iterate', 'Add Items.remove with a pytest test'], (call) => {
      switch (call.phase) {
        case 'decompose':
          return '1. Add Items.remove(item_id) to src/inventory/items.py. [files: src/inventory/items.py]\n2. Test it in tests/test_items.py with pytest. [files: tests/test_items.py]';
        case 'work':
          return call.subtask === 1 ? REMOVE_BUGGY.replaceAll('items.py', 'src/inventory/items.py') : fileBlock('tests/test_items.py', PYTESTS);
        case 'review':
          return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
        case 'fix':
          return REMOVE_FIX.replaceAll('items.py', 'src/inventory/items.py');
        default:
          return 'Items.remove, tested.';
      }
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.deepEqual(record.build?.setup?.map((step) => [step.name, step.passed]), [['venv', true]]);
    assert.match(record.build?.setup?.[0].command ?? '', /-m venv --system-site-packages .*venvs.* -e \.$/);
    assert.doesNotMatch(record.build?.setup?.[0].command ?? '', new RegExp(project.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the venv is not inside the project');
    const fixes = calls.filter((call) => call.phase === 'fix');
    assert.deepEqual(fixes.map((call) => call.subtask), [1]);
    assert.match(fixes[0].user, /src\/inventory\/items\.py — as it is now:[\s\S]*Errors:\n- src\/inventory\/items\.py:\d+: [^\n]*test_remove[\s\S]*AttributeError/);
    assert.deepEqual(record.build?.attempts.map((attempt) => [attempt.iteration, attempt.gate, attempt.status]), [
      [1, 'compile', 'passed'],
      [1, 'test', 'failed'],
      [2, 'compile', 'passed'],
      [2, 'test', 'passed'],
    ]);
    assert.match(record.build?.attempts[1].command ?? '', /venvs\/[0-9a-f]{12}\/bin\/python -m pytest -q$/);
  });
});
