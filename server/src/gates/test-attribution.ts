// A failing test goes to whoever should fix it: the worker that changed the code under test (a file in
// the failure's stack or message), else the one that changed the test, else the general fixer. Each
// failure becomes one error on the file chosen, naming the test, so the existing owner grouping applies;
// the test file rides along for reference when it is not the file chosen. Pure.
import type { BuildError } from '../build/build-error';
import type { TestFailure } from '../build/test-failures/parse-test-output';

export interface AttributedFailure extends BuildError {
  /** The failing test's file, when it is not `file`: shown to the fixer, not to be weakened. */
  testFile: string | undefined;
}

export function attributeFailures(failures: readonly TestFailure[], owners: ReadonlyMap<string, number>): AttributedFailure[] {
  return failures.map((failure) => {
    const candidates = [...failure.related.map((related) => ({ file: related.file, line: related.line })), ...(failure.file === undefined ? [] : [{ file: failure.file, line: failure.line }])];
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
