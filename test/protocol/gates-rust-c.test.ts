// --iterate on a Rust crate (cargo build → cargo test) and a C project built with CMake (→ ctest): a test
// that fails in code another worker wrote goes to that worker, found by the test file's name, and the run
// ends when the tests pass. Real toolchains; skipped, saying which, where they are not installed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { onPath } from '../../server/src/gates/gate-plan';
import { runOn } from '../helpers/existing-project';
import { editBlock, fileBlock } from '../helpers/fake-team';
import { requireTool } from '../helpers/require-tool';

const REVIEW = 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';

describe('et run --iterate: gates on Rust and C projects', function () {
  this.timeout(240_000);

  it('Rust: cargo test fails in the integration test, the fix goes to the author of src/stack.rs, and the run ends green', async function () {
    requireTool(this, 'cargo', 'apt-get install cargo');
    const STACK = '#[derive(Default)]\npub struct Stack {\n    items: Vec<i32>,\n}\n\nimpl Stack {\n    pub fn new() -> Self {\n        Stack { items: Vec::new() }\n    }\n\n    pub fn push(&mut self, value: i32) {\n        self.items.push(value);\n    }\n}\n';
    const PUSH = '    pub fn push(&mut self, value: i32) {\n        self.items.push(value);\n    }\n';
    // peek() looks at the bottom of the stack: compiles, and the test catches it.
    const PEEK_BUGGY = editBlock('src/stack.rs', PUSH, `${PUSH}\n    pub fn peek(&self) -> Option<i32> {\n        self.items.first().copied()\n    }\n`, 'rust');
    const PEEK_FIX = editBlock('src/stack.rs', '        self.items.first().copied()', '        self.items.last().copied()', 'rust');
    const TEST = 'use stack::stack::Stack;\n\n#[test]\nfn peek_returns_the_last_pushed() {\n    let mut stack = Stack::new();\n    stack.push(1);\n    stack.push(2);\n    assert_eq!(stack.peek(), Some(2));\n}\n';
    const files = { 'Cargo.toml': '[package]\nname = "stack"\nversion = "0.1.0"\nedition = "2021"\n', 'src/lib.rs': 'pub mod stack;\n', 'src/stack.rs': STACK };
    const { result, record, project, calls } = await runOn(files, ['--no-coordinate', '--iterate', '--build-timeout', '3', 'Add Stack::peek with a test'], (call) => {
      switch (call.phase) {
        case 'decompose':
          return '1. Add Stack::peek to src/stack.rs. [files: src/stack.rs]\n2. Test it in tests/stack_test.rs. [files: tests/stack_test.rs]';
        case 'work':
          return call.subtask === 1 ? PEEK_BUGGY : fileBlock('tests/stack_test.rs', TEST);
        case 'review':
          return REVIEW;
        case 'fix':
          return PEEK_FIX;
        default:
          return 'Stack::peek, tested.';
      }
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const fixes = calls.filter((call) => call.phase === 'fix');
    assert.deepEqual(fixes.map((call) => call.subtask), [1]);
    assert.match(fixes[0].user, /src\/stack\.rs — as it is now:[\s\S]*Errors:\n- src\/stack\.rs: test [^\n]*peek_returns_the_last_pushed[^\n]*failed: [\s\S]*left: Some\(1\)/);
    // clippy runs (with -D warnings) where it is installed, after the tests: the crate is clippy-clean.
    const clippy = onPath('cargo-clippy') ? [[2, 'clippy', 'passed']] : [];
    assert.deepEqual(record.build?.attempts.map((attempt) => [attempt.iteration, attempt.gate, attempt.status]), [
      [1, 'build', 'passed'],
      [1, 'test', 'failed'],
      [2, 'build', 'passed'],
      [2, 'test', 'passed'],
      ...clippy,
    ]);
    const tests = spawnSync('cargo', ['test', '--quiet'], { cwd: project, encoding: 'utf8' });
    assert.equal(tests.status, 0, tests.stderr);
  });

  it('C with CMake: ctest fails in tests/test_counter.c, the fix goes to the author of counter.c, and the run ends green', async function () {
    requireTool(this, 'cmake', 'apt-get install cmake', ['--version']);
    requireTool(this, 'cc', 'apt-get install gcc', ['--version']);
    const CMAKE = 'cmake_minimum_required(VERSION 3.13)\nproject(counter C)\nenable_testing()\nadd_library(counter counter.c)\nadd_executable(test_counter tests/test_counter.c)\ntarget_include_directories(test_counter PRIVATE ${CMAKE_SOURCE_DIR})\ntarget_link_libraries(test_counter counter)\nadd_test(NAME counter COMMAND test_counter)\n';
    const HEADER = '#ifndef COUNTER_H\n#define COUNTER_H\n\nint add(int a, int b);\n\n#endif\n';
    const SOURCE = '#include "counter.h"\n\nint add(int a, int b) {\n    return a + b;\n}\n';
    // clamp() returns lo for values over hi: compiles, and the test catches it.
    const CLAMP_BUGGY = [
      editBlock('counter.h', 'int add(int a, int b);\n', 'int add(int a, int b);\nint clamp(int value, int lo, int hi);\n', 'c'),
      editBlock('counter.c', '    return a + b;\n}\n', '    return a + b;\n}\n\nint clamp(int value, int lo, int hi) {\n    if (value < lo) return lo;\n    if (value > hi) return lo;\n    return value;\n}\n', 'c'),
    ].join('\n\n');
    const CLAMP_FIX = editBlock('counter.c', '    if (value > hi) return lo;', '    if (value > hi) return hi;', 'c');
    const TEST = '#include <stdio.h>\n#include "counter.h"\n\n#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\\n", __FILE__, __LINE__, #cond); return 1; } } while (0)\n\nint main(void) {\n    CHECK(clamp(-1, 0, 3) == 0);\n    CHECK(clamp(5, 0, 3) == 3);\n    return 0;\n}\n';
    const files = { 'CMakeLists.txt': CMAKE, 'counter.h': HEADER, 'counter.c': SOURCE };
    const { result, record, project, calls } = await runOn(files, ['--no-coordinate', '--iterate', '--build-timeout', '3', 'Add clamp with a test'], (call) => {
      switch (call.phase) {
        case 'decompose':
          return '1. Add clamp(value, lo, hi) to counter.h and counter.c. [files: counter.h, counter.c]\n2. Test it in tests/test_counter.c. [files: tests/test_counter.c]';
        case 'work':
          return call.subtask === 1 ? CLAMP_BUGGY : fileBlock('tests/test_counter.c', TEST);
        case 'review':
          return REVIEW;
        case 'fix':
          return CLAMP_FIX;
        default:
          return 'clamp, tested.';
      }
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const fixes = calls.filter((call) => call.phase === 'fix');
    assert.deepEqual(fixes.map((call) => call.subtask), [1]);
    assert.match(fixes[0].user, /counter\.c — as it is now:[\s\S]*Errors:\n- counter\.c: test counter \(tests\/test_counter\.c:\d+\) failed: [^\n]*clamp\(5, 0, 3\) == 3/);
    assert.deepEqual(record.build?.attempts.map((attempt) => [attempt.iteration, attempt.gate, attempt.status]), [
      [1, 'build', 'passed'],
      [1, 'test', 'failed'],
      [2, 'build', 'passed'],
      [2, 'test', 'passed'],
    ]);
    const tests = spawnSync('ctest', ['--test-dir', 'build'], { cwd: project, encoding: 'utf8' });
    assert.equal(tests.status, 0, tests.stdout);
  });
});
