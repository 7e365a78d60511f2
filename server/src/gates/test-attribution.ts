// A failing test goes to whoever should fix it: the worker that changed the code under test (a file in
// the failure's stack or message, or the file the test's name says it tests), else the one that changed
// the test, else the general fixer. Each
// failure becomes one error on the file chosen, naming the test, so the existing owner grouping applies;
// the test file rides along for reference when it is not the file chosen. Pure.
import type { BuildError } from '../build/build-error';
import type { TestFailure } from '../build/test-failures/parse-test-output';

export interface AttributedFailure extends BuildError {
  /** The failing test's file, when it is not `file`: shown to the fixer, not to be weakened. */
  testFile: string | undefined;
}

/**
 * The files a test file tests, by the usual naming: `store_test.go` → `store.go`, `test_items.py` and
 * `items_test.py` → `items.py`, `math.test.ts` / `math.spec.js` → `math.ts` / `math.js` (also one folder
 * up from `__tests__/`), Rust's `tests/stack.rs` / `tests/stack_test.rs` → `src/stack.rs`, C and C++'s
 * `test_counter.c` / `counter_test.cpp` → `counter.c` / `counter.cpp` (also in `src/` beside `tests/`).
 * Go's, pytest's, cargo's and ctest's failures often name only the test, so this is how the code's author
 * is found.
 */
export function testedFiles(test: string): string[] {
  const slash = test.lastIndexOf('/');
  const folder = slash === -1 ? '' : test.slice(0, slash + 1);
  const name = test.slice(slash + 1);
  const parent = folder.replace(/(^|\/)(?:__tests__|tests?)\/$/, '$1');
  const go = /^(.+)_test\.go$/.exec(name);
  if (go) return [`${folder}${go[1]}.go`];
  const python = /^test_(.+)\.py$/.exec(name) ?? /^(.+)_test\.py$/.exec(name);
  if (python) return [...new Set([`${folder}${python[1]}.py`, `${parent}${python[1]}.py`])];
  const rust = /^(?:tests?)\/$/.test(folder.slice(parent.length)) ? /^(.+?)(?:_tests?)?\.rs$/.exec(name) : null;
  if (rust) return [`${parent}src/${rust[1]}.rs`];
  const c = /^test_(.+)\.(c|cc|cpp|cxx)$/.exec(name) ?? /^(.+)_test\.(c|cc|cpp|cxx)$/.exec(name);
  if (c) return [...new Set([folder, parent, `${parent}src/`].map((base) => `${base}${c[1]}.${c[2]}`))];
  const script = /^(.+)\.(?:test|spec)\.([cm]?[jt]sx?)$/.exec(name);
  if (script) {
    const extensions = [script[2], ...['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs'].filter((extension) => extension !== script[2])];
    return [...new Set([folder, parent].flatMap((base) => extensions.map((extension) => `${base}${script[1]}.${extension}`)))];
  }
  return [];
}

export function attributeFailures(failures: readonly TestFailure[], owners: ReadonlyMap<string, number>): AttributedFailure[] {
  return failures.map((failure) => {
    const tested = failure.file === undefined ? [] : testedFiles(failure.file).map((file) => ({ file, line: undefined }));
    const candidates = [...failure.related.map((related) => ({ file: related.file, line: related.line })), ...tested, ...(failure.file === undefined ? [] : [{ file: failure.file, line: failure.line }])];
    const owned = candidates.find((candidate) => owners.has(candidate.file));
    const chosen = owned ?? (failure.file === undefined ? candidates[0] : { file: failure.file, line: failure.line });
    const where = failure.file === undefined ? '' : ` (${failure.file}${failure.line === undefined ? '' : `:${failure.line}`})`;
    return {
      file: chosen?.file,
      rawPath: chosen?.file,
      line: chosen?.line,
      column: undefined,
      severity: 'error',
      message: `test ${failure.test}${where} failed: ${failure.message}`,
      tool: 'generic',
      testFile: failure.file !== undefined && failure.file !== chosen?.file ? failure.file : undefined,
    };
  });
}
