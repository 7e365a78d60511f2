// A failing test read from a test runner's output, and the contract of the small per-runner parsers that find
// them. The failure names the test's file and the project files its trace passes through, so that it can go
// back to whoever wrote the code under test.
import type { ResolvePath } from '../build-error';

export type { ResolvePath } from '../build-error';

export type TestRunner = 'go' | 'node-test' | 'tap' | 'jest' | 'vitest' | 'mocha' | 'pytest' | 'unittest' | 'cargo' | 'ctest';

/** A project file named in a failure, relative POSIX inside the output directory. */
export interface FileLine {
  file: string;
  line: number | undefined;
}

export interface TestFailure {
  /** The failing test's name as the runner prints it (e.g. `TestGreeting`, `greet > handles empty`, `test_items.py::ItemsTest::test_remove`). */
  test: string;
  /** The file the test is in, relative POSIX inside the output dir (via resolveBuildPath); undefined when unknown or outside. */
  file: string | undefined;
  line: number | undefined;
  /** The assertion message / panic / exception, trimmed, first ~20 lines max. */
  message: string;
  /** Other project files named in the failure's stack trace or message (relative, inside the output dir, in order, no duplicates, excluding `file`): the code under test, which is who should be asked to fix it. */
  related: FileLine[];
  runner: TestRunner;
}

export interface TestReport {
  failures: TestFailure[];
  /** counts when the runner prints them */
  passed: number | undefined;
  failed: number | undefined;
  skipped: number | undefined;
  /** the runner said there were no tests ("no test files", "collected 0 items", "Ran 0 tests", "0 tests") */
  noTests: boolean;
}

/** A failure as a runner parser finds it: `order` is the index of the line it starts on, so that several runners' failures interleave as printed. */
export interface FoundFailure extends TestFailure {
  order: number;
}

/** Failures a parser reads in full; beyond these it only counts them, so that a flood of failures costs no memory each. */
export const MAX_FAILURES_READ = 1000;

/** What one runner's parser read; counts stay undefined when that runner printed none. */
export interface RunnerResult {
  failures: FoundFailure[];
  /** Failures found after MAX_FAILURES_READ were read: counted, not read. */
  unread: number;
  passed: number | undefined;
  failed: number | undefined;
  skipped: number | undefined;
  noTests: boolean;
}

/** Reads one runner's output from ANSI-free lines; returns an empty result for output that is not its format. */
export type RunnerParser = (lines: readonly string[], resolve: ResolvePath) => RunnerResult;

/** A result with nothing found, for parsers to start from. */
export function emptyResult(): RunnerResult {
  return { failures: [], unread: 0, passed: undefined, failed: undefined, skipped: undefined, noTests: false };
}

/** Adds the failure `read` builds, or only counts it once MAX_FAILURES_READ are kept. */
export function addFailure(result: RunnerResult, read: () => FoundFailure): void {
  if (result.failures.length < MAX_FAILURES_READ) result.failures.push(read());
  else result.unread++;
}
