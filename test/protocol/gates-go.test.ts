// --iterate on a Go project decided by its gates: go build, go vet and go test. A test a worker wrote
// fails in the code another worker wrote; the failure goes to the code's author with the test for
// reference, and the run ends when every gate passes. A fix that weakens the test is flagged, and with
// --protect-tests refused and sent back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { runOn } from '../helpers/existing-project';
import { editBlock, fileBlock } from '../helpers/fake-team';
import { requireTool } from '../helpers/require-tool';

const GO_MOD = 'module example.com/items\n\ngo 1.19\n';
const STORE = 'package items\n\n// Store keeps items by id.\ntype Store struct {\n\titems map[string]string\n}\n\n// NewStore returns an empty store.\nfunc NewStore() *Store {\n\treturn &Store{items: map[string]string{}}\n}\n\n// Put sets an item.\nfunc (s *Store) Put(id, name string) {\n\ts.items[id] = name\n}\n';
const PLAN = '1. Add a Count() int method to the Store in store.go. [files: store.go]\n2. Write TestCount in store_test.go: two items put, Count is 2. [files: store_test.go]';
const COUNT_BUGGY = editBlock('store.go', '// Put sets an item.', '// Count is the number of items.\nfunc (s *Store) Count() int {\n\treturn len(s.items) + 1\n}\n\n// Put sets an item.', 'go');
const COUNT_FIX = editBlock('store.go', '\treturn len(s.items) + 1', '\treturn len(s.items)', 'go');
const TEST = 'package items\n\nimport "testing"\n\nfunc TestCount(t *testing.T) {\n\ts := NewStore()\n\ts.Put("a", "apple")\n\ts.Put("b", "banana")\n\tif got := s.Count(); got != 2 {\n\t\tt.Errorf("Count() = %d, want 2", got)\n\t}\n}\n';
const SKIP_THE_TEST = editBlock('store_test.go', 'func TestCount(t *testing.T) {\n\ts := NewStore()', 'func TestCount(t *testing.T) {\n\tt.Skip("flaky")\n\ts := NewStore()', 'go');

const answers = (fix: (attempt: number) => string) => {
  let fixes = 0;
  return (call: { phase: string; subtask: number | undefined }) => {
    switch (call.phase) {
      case 'decompose':
        return PLAN;
      case 'work':
        return call.subtask === 1 ? COUNT_BUGGY : fileBlock('store_test.go', TEST);
      case 'review':
        return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
      case 'fix':
        return fix(++fixes);
      default:
        return 'Store.Count, tested.';
    }
  };
};

describe('et run --iterate: gates on a Go project', function () {
  this.timeout(120_000);
  before(function () {
    requireTool(this, 'go', 'apt-get install golang-go');
  });

  it('sends a failing test to the worker that wrote the code under test, and ends when build, vet and test pass', async () => {
    const { result, record, project, calls } = await runOn({ 'go.mod': GO_MOD, 'store.go': STORE }, ['--no-coordinate', '--iterate', 'Add Store.Count with a test'], answers(() => COUNT_FIX));
    assert.equal(result.exitCode, 0, result.stderr);
    const fixes = calls.filter((call) => call.phase === 'fix');
    assert.deepEqual(fixes.map((call) => call.subtask), [1]);
    assert.match(fixes[0].user, /store\.go — as it is now:[\s\S]*Errors:\n- store\.go: test TestCount \(store_test\.go:10\) failed: .*Count\(\) = 3, want 2/);
    assert.match(fixes[0].user, /The failing tests, for reference[^\n]*\n\nstore_test\.go\n```go\npackage items/);
    assert.deepEqual(record.build?.attempts.map((attempt) => [attempt.iteration, attempt.gate, attempt.status]), [
      [1, 'build', 'passed'],
      [1, 'vet', 'passed'],
      [1, 'test', 'failed'],
      [2, 'build', 'passed'],
      [2, 'vet', 'passed'],
      [2, 'test', 'passed'],
    ]);
    assert.match(result.stderr, /^round 1 test: ✗ 1 failing \([\d.]+ s\)$/m);
    assert.match(result.stderr, /^round 1: build ✓, vet ✓, test ✗ 1 failing\nround 2: build ✓, vet ✓, test ✓\ngates passed; logs: /m);
    execFileSync('go', ['test', './...'], { cwd: project });
  });

  it('flags a fix that skips the failing test, and with --protect-tests sends it back until the code is fixed', async () => {
    const flagged = await runOn({ 'go.mod': GO_MOD, 'store.go': STORE }, ['--no-coordinate', '--iterate', 'Add Store.Count with a test'], answers(() => SKIP_THE_TEST));
    // The weakened test lands (the gate then passes), but never unnoticed.
    assert.equal(flagged.result.exitCode, 0, flagged.result.stderr);
    assert.ok(flagged.record.findings.some((finding) => finding.source === 'gates' && finding.file === 'store_test.go' && /TestCount/.test(finding.message)), JSON.stringify(flagged.record.findings));
    assert.match(flagged.result.stderr, /^warning: a fix weakened the tests: .*TestCount/m);

    const guarded = await runOn({ 'go.mod': GO_MOD, 'store.go': STORE }, ['--no-coordinate', '--iterate', '--protect-tests', 'Add Store.Count with a test'], answers((attempt) => (attempt === 1 ? SKIP_THE_TEST : COUNT_FIX)));
    assert.equal(guarded.result.exitCode, 0, guarded.result.stderr);
    const fixes = guarded.calls.filter((call) => call.phase === 'fix');
    assert.equal(fixes.length, 2);
    assert.match(fixes[1].user, /^Your fix weakens the tests, which is not allowed \(--protect-tests\):\n- .*TestCount/);
    assert.equal(guarded.read('store_test.go'), TEST, 'the test is as its author wrote it');
    assert.match(guarded.read('store.go'), /return len\(s\.items\)\n/);
  });
});
