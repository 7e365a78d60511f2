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
  const resolve = memoized((rawPath: string) => resolveBuildPath(rawPath, outputDirectory));
  const results = PARSERS.map((parse) => parse(lines, resolve));
  const found = results.flatMap((result) => result.failures);
  // Array#sort is stable: failures read from the same line keep their parser's order.
  found.sort((a, b) => a.order - b.order);
  const unread = results.reduce((total, result) => total + result.unread, 0);
  const failures = capped(distinct(found), unread);
  const passed = sum(results, 'passed');
  const failed = sum(results, 'failed');
  const skipped = sum(results, 'skipped');
  // "No tests" only when no runner reported any test: one empty package among others is not an empty run.
  const anyTests = failures.length > 0 || (passed ?? 0) + (failed ?? 0) + (skipped ?? 0) > 0;
  return { failures, passed, failed, skipped, noTests: !anyTests && results.some((result) => result.noTests) };
}

// Traces repeat the same few paths many times over.
function memoized(resolve: (rawPath: string) => string | undefined): (rawPath: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (rawPath) => {
    if (known.has(rawPath)) return known.get(rawPath);
    const file = resolve(rawPath);
    known.set(rawPath, file);
    return file;
  };
}

function distinct(found: readonly FoundFailure[]): TestFailure[] {
  // Messages by the rest of the failure: a message (up to 2,000 chars) is looked up, never copied into a key.
  const seen = new Map<string, Set<string>>();
  const failures: TestFailure[] = [];
  for (const { order: _order, ...failure } of found) {
    const key = `${failure.runner}\0${failure.test}\0${failure.file ?? ''}\0${failure.line ?? ''}`;
    const messages = seen.get(key) ?? new Set<string>();
    if (messages.has(failure.message)) continue;
    seen.set(key, messages.add(failure.message));
    failures.push(failure);
  }
  return failures;
}

// `unread`: failures the parsers counted without reading them (past MAX_FAILURES_READ each).
function capped(failures: TestFailure[], unread: number): TestFailure[] {
  if (failures.length <= MAX_FAILURES && unread === 0) return failures;
  const rest = Math.max(0, failures.length - MAX_FAILURES) + unread;
  const more: TestFailure = {
    test: `(${rest} more failing tests)`,
    file: undefined,
    line: undefined,
    message: `${rest} more failures are not listed; the first ${Math.min(failures.length, MAX_FAILURES)} are.`,
    related: [],
    runner: (failures[MAX_FAILURES] ?? failures[failures.length - 1]).runner,
  };
  return [...failures.slice(0, MAX_FAILURES), more];
}

function sum(results: readonly RunnerResult[], key: 'passed' | 'failed' | 'skipped'): number | undefined {
  const counts = results.map((result) => result[key]).filter((count): count is number => count !== undefined);
  return counts.length === 0 ? undefined : counts.reduce((total, count) => total + count, 0);
}
