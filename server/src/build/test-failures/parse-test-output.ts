// A test run's output (go test, node --test, TAP, jest, vitest, mocha, pytest, unittest, cargo test, ctest)
// read into failures, each tied to the test's file and to the project files its trace passes through, so
// that it can go back to the worker who wrote the code under test. Pure: the caller runs the tests.
//
// One small parser per runner reads the ANSI-free lines in a single forward pass; their failures merge in
// output order (a `make test` may run several runners), duplicates dropped, and the list is capped.
import { resolveBuildPath, stripAnsi } from '../build-paths';
import { parseCargo } from './runners/cargo';
import { parseCtest } from './runners/ctest';
import { parseGo } from './runners/go';
import { parseJest } from './runners/jest';
import { parseMocha } from './runners/mocha';
import { parsePytest } from './runners/pytest';
import { parseTap } from './runners/tap';
import { parseUnittest } from './runners/unittest';
import { parseVitest } from './runners/vitest';
import type { FoundFailure, RunnerParser, RunnerResult, TestFailure, TestReport } from './test-failure';

export type { FileLine, TestFailure, TestReport, TestRunner } from './test-failure';

/** Failures listed in a report; the rest are counted in one last entry. */
export const MAX_FAILURES = 500;

const PARSERS: readonly RunnerParser[] = [parseGo, parseTap, parseJest, parseVitest, parseMocha, parsePytest, parseUnittest, parseCargo, parseCtest];

/**
 * The failing tests in a test run's output, in output order, without duplicates, with the counts the runners
 * printed; paths relative to `outputDirectory` (absolute), paths outside it dropped.
 */
export function parseTestOutput(output: string, outputDirectory: string): TestReport {
  const lines = stripAnsi(output).split(/\r\n|\r|\n/);
  const resolve = (rawPath: string) => resolveBuildPath(rawPath, outputDirectory);
  const results = PARSERS.map((parse) => parse(lines, resolve));
  const found = results.flatMap((result) => result.failures);
  // Array#sort is stable: failures read from the same line keep their parser's order.
  found.sort((a, b) => a.order - b.order);
  const failures = capped(distinct(found));
  const passed = sum(results, 'passed');
  const failed = sum(results, 'failed');
  const skipped = sum(results, 'skipped');
  // "No tests" only when no runner reported any test: one empty package among others is not an empty run.
  const anyTests = failures.length > 0 || (passed ?? 0) + (failed ?? 0) + (skipped ?? 0) > 0;
  return { failures, passed, failed, skipped, noTests: !anyTests && results.some((result) => result.noTests) };
}

function distinct(found: readonly FoundFailure[]): TestFailure[] {
  const seen = new Set<string>();
  const failures: TestFailure[] = [];
  for (const { order: _order, ...failure } of found) {
    const key = [failure.runner, failure.test, failure.file ?? '', failure.line ?? '', failure.message].join('\0');
    if (seen.has(key)) continue;
    seen.add(key);
    failures.push(failure);
  }
  return failures;
}

function capped(failures: TestFailure[]): TestFailure[] {
  if (failures.length <= MAX_FAILURES) return failures;
  const rest = failures.length - MAX_FAILURES;
  const more: TestFailure = {
    test: `(${rest} more failing tests)`,
    file: undefined,
    line: undefined,
    message: `${rest} more failures are not listed; the first ${MAX_FAILURES} are.`,
    related: [],
    runner: failures[MAX_FAILURES].runner,
  };
  return [...failures.slice(0, MAX_FAILURES), more];
}

function sum(results: readonly RunnerResult[], key: 'passed' | 'failed' | 'skipped'): number | undefined {
  const counts = results.map((result) => result[key]).filter((count): count is number => count !== undefined);
  return counts.length === 0 ? undefined : counts.reduce((total, count) => total + count, 0);
}
