// Tests cannot be weakened to pass: asked to fix failing code, a model may delete or skip the failing
// test or take its assertions out instead. Given a test file before and after a change, this says what
// got weaker. Regexes over comment- and string-aware text (test-inventory/), not a parser: a test is
// what its framework's usual declaration looks like. Table rows, subtests and assertions moved into
// helpers in other files are not followed. Pure.
import { readCFamily } from './test-inventory/c-family';
import { readGo } from './test-inventory/go';
import { summarize, type Found, type Summary } from './test-inventory/inventory';
import { readJava } from './test-inventory/java';
import { readJavaScript } from './test-inventory/javascript';
import { readPython } from './test-inventory/python';
import { readRust } from './test-inventory/rust';

export interface Weakening {
  kind: 'test-removed' | 'test-skipped' | 'assertions-removed' | 'file-emptied';
  /** The test's full name (groups included); undefined when the whole file is concerned. */
  test: string | undefined;
  /** For people, e.g. "TestGreeting was removed from greet/greet_test.go". */
  message: string;
}

interface Language {
  read(text: string): Found;
  /** Joins a group's name and a test's. */
  separator: string;
}

const C_FAMILY = /\.(?:c|cc|cpp|cxx|c\+\+|h|hh|hpp|hxx)$/i;
const LANGUAGES: readonly { extension: RegExp; language: Language }[] = [
  { extension: /\.go$/, language: { read: readGo, separator: '/' } },
  { extension: /\.[cm]?[jt]sx?$/, language: { read: readJavaScript, separator: ' > ' } },
  { extension: /\.pyi?$/, language: { read: readPython, separator: '.' } },
  { extension: /\.rs$/, language: { read: readRust, separator: '::' } },
  { extension: /\.java$/, language: { read: readJava, separator: '.' } },
  { extension: C_FAMILY, language: { read: readCFamily, separator: '.' } },
];

const languageOf = (path: string) => LANGUAGES.find((entry) => entry.extension.test(path))?.language;

const inFolder = (path: string, ...folders: string[]) => path.split('/').slice(0, -1).some((folder) => folders.includes(folder));

/**
 * Whether `path` holds tests by its framework's naming: Go `*_test.go`; JS/TS `*.test.*`, `*.spec.*`, or
 * under `__tests__/`, `test/` or `tests/`; Python `test_*.py`, `*_test.py` or under `tests/`/`test/`;
 * Rust under `tests/`, or any `.rs` whose `content` (when given) has `#[test]`; Java `*Test.java`,
 * `*Tests.java` or under `src/test/`; C/C++ `*_test.*`/`*_unittest.*` or under `test/` or `tests/`.
 */
export function isTestFile(path: string, content?: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  const name = normalized.slice(normalized.lastIndexOf('/') + 1);
  if (/\.go$/.test(name)) return name.endsWith('_test.go');
  if (/\.[cm]?[jt]sx?$/.test(name)) return /\.(?:test|spec)\.[^.]+$/.test(name) || inFolder(normalized, '__tests__', 'test', 'tests');
  if (/\.py$/.test(name)) return /^test_.*\.py$|_test\.py$/.test(name) || inFolder(normalized, 'tests', 'test');
  if (/\.rs$/.test(name)) return inFolder(normalized, 'tests') || (content !== undefined && /#\[\s*(?:\w+::)*test\b|#\[cfg\(test\)\]/.test(content));
  if (/\.java$/.test(name)) return /Tests?\.java$/.test(name) || normalized.includes('src/test/');
  if (C_FAMILY.test(name)) return /_(?:unit)?test\.[^.]+$/.test(name) || inFolder(normalized, 'test', 'tests');
  return false;
}

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
const lastSegment = (name: string, separator: string) => name.slice(name.lastIndexOf(separator) + (name.includes(separator) ? separator.length : 0));

/** Names whose tests went down in number and, when the total went down too, were not just renamed. */
function removedTests(before: Summary, after: Summary, separator: string): string[] {
  if (after.total >= before.total) return [];
  const gone = [...before.tests].filter(([name, test]) => (after.tests.get(name)?.count ?? 0) < test.count).map(([name]) => name);
  // A test whose group was renamed keeps its own name: moved, not removed.
  const added = new Set([...after.tests].filter(([name, test]) => (before.tests.get(name)?.count ?? 0) < test.count).map(([name]) => lastSegment(name, separator)));
  const moved = gone.filter((name) => name.includes(separator) && added.has(lastSegment(name, separator)));
  return moved.length > 0 && gone.length - moved.length >= before.total - after.total ? gone.filter((name) => !moved.includes(name)) : gone;
}

/** Tests or groups skipped now that ran before; a new skipped one only when it stands in for one that ran. */
function newlySkipped(path: string, before: Summary, after: Summary, kind: 'test' | 'suite'): Weakening[] {
  const [was, now] = kind === 'test' ? [before.tests, after.tests] : [before.suites, after.suites];
  const found: Weakening[] = [];
  for (const [name, test] of now) {
    const earlier = was.get(name);
    if (test.skipped <= (earlier?.skipped ?? 0) || (!earlier && after.active >= before.active)) continue;
    const markers = [...new Set(test.markers)].join(', ');
    found.push({ kind: 'test-skipped', test: name, message: `${name} is now skipped in ${path} (${markers})${kind === 'suite' ? ', and the tests in it with it' : ''}` });
  }
  return found;
}

const counts = (markers: readonly string[]) => markers.reduce((map, marker) => map.set(marker, (map.get(marker) ?? 0) + 1), new Map<string, number>());

function skippedTests(path: string, before: Summary, after: Summary): Weakening[] {
  const found = [...newlySkipped(path, before, after, 'test'), ...newlySkipped(path, before, after, 'suite')];
  for (const [name, marker] of after.onlies) {
    if (before.onlies.has(name) || after.total < 2) continue;
    found.push({ kind: 'test-skipped', test: name, message: `${name} was marked ${marker} in ${path}, so the file's other tests no longer run` });
  }
  const fileSkipsBefore = counts(before.fileSkips);
  for (const [marker, count] of counts(after.fileSkips)) {
    if (count > (fileSkipsBefore.get(marker) ?? 0)) found.push({ kind: 'test-skipped', test: undefined, message: `every test in ${path} is now skipped (${marker})` });
  }
  return found;
}

function removedAssertions(path: string, before: Summary, after: Summary, removed: readonly string[]): Weakening[] {
  const inRemoved = removed.reduce((sum, name) => sum + Math.max(0, (before.tests.get(name)?.assertions ?? 0) - (after.tests.get(name)?.assertions ?? 0)), 0);
  if (after.assertions >= before.assertions - inRemoved) return [];
  const perTest: Weakening[] = [];
  for (const [name, was] of before.tests) {
    const now = after.tests.get(name);
    if (!now || removed.includes(name) || now.assertions >= was.assertions) continue;
    perTest.push({ kind: 'assertions-removed', test: name, message: `${name} in ${path} has ${plural(now.assertions, 'assertion')}, down from ${was.assertions}` });
  }
  return perTest.length > 0 ? perTest : [{ kind: 'assertions-removed', test: undefined, message: `${path} has ${plural(after.assertions, 'assertion')}, down from ${before.assertions}` }];
}

/** What a change from `before` to `after` took away from the tests in the file at `path`. */
export function testWeakenings(path: string, before: string, after: string): Weakening[] {
  const language = languageOf(path);
  if (!language) return [];
  const was = summarize(language.read(before), language.separator);
  const now = summarize(language.read(after), language.separator);
  if (now.blank && (was.total > 0 || was.assertions > 0)) {
    return [{ kind: 'file-emptied', test: undefined, message: `${path} was emptied; it had ${plural(was.total, 'test')} and ${plural(was.assertions, 'assertion')}` }];
  }
  const removed = removedTests(was, now, language.separator);
  return [
    ...removed.map((name): Weakening => ({ kind: 'test-removed', test: name, message: `${name} was removed from ${path}` })),
    ...skippedTests(path, was, now),
    ...removedAssertions(path, was, now, removed),
  ];
}
