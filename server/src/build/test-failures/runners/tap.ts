// TAP: `not ok 2 - name` test points, with a YAML block under them (`node --test`'s default reporter when
// not on a terminal: `location`, `error`, `stack`; tape: `at`, `message`) or `#` diagnostics after them
// (Perl's Test::More: `#   at t/cart.t line 10.`). `node --test` nests subtests under `# Subtest: name`
// lines, four spaces a level: a failure is named by its path (`cart > totals`), and a suite that failed only
// because a subtest did is left out. A file that failed to load shows as `not ok N - /path/file.js` with
// error 'test failed'; its real error is in the `#` lines printed before it.
import { addMessageLine, formatMessage } from '../failure-message';
import { findLocations, firstInside, looksLikeTestFile, readJsFrame, relatedFiles, type RawLocation } from '../locations';
import { emptyResult, MAX_FAILURES_READ, type FoundFailure, type ResolvePath, type RunnerParser, type TestRunner } from '../test-failure';
import { readYamlBlock } from './tap-yaml';

const POINT = /^(\s*)(not ok|ok) (\d+)\b(?: -)?\s*(.*)$/;
const SUBTEST = /^(\s*)# Subtest: (.*)$/;
const NODE_SUMMARY = /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) (\d+(?:\.\d+)?)$/;
const PLAN = /^1\.\.(\d+)\b/;
// prove's line before a test file's TAP: `t/cart.t ......... `.
const PROVE_FILE = /^(\S+) \.{2,} ?$/;
// Comment lines kept from before a test point, for a file that failed before its tests ran.
const MAX_EARLIER_COMMENTS = 40;

interface TapFailure {
  order: number;
  name: string;
  depth: number;
  fields: Map<string, string>;
  diagnostics: string[];
  earlierComments: string[];
  proveFile: string | undefined;
}

export const parseTap: RunnerParser = (lines, resolve) => {
  const found: TapFailure[] = [];
  const names: string[] = [];
  const summary = new Map<string, number>();
  const points = { passed: 0, failed: 0, skipped: 0 };
  let unread = 0;
  let isNode = false;
  let sawPoint = false;
  let emptyPlan = false;
  let earlierComments: string[] = [];
  let proveFile: string | undefined;
  // Per depth: whether a subtest one level down failed since that depth's last test point.
  const subtestFailed: boolean[] = [];

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const subtest = SUBTEST.exec(line);
    if (subtest) {
      isNode = true;
      const depth = Math.floor(subtest[1].length / 4);
      names.length = depth;
      names[depth] = subtest[2].trim();
      continue;
    }
    const counted = NODE_SUMMARY.exec(line);
    if (counted) {
      isNode = true;
      summary.set(counted[1], Number(counted[2]));
      continue;
    }
    if (PLAN.exec(line)?.[1] === '0') emptyPlan = true;
    const prove = PROVE_FILE.exec(line);
    if (prove) proveFile = prove[1];
    if (/^\s*#/.test(line)) {
      if (earlierComments.length < MAX_EARLIER_COMMENTS) earlierComments.push(line.replace(/^\s*# ?/, ''));
      continue;
    }
    const point = POINT.exec(line);
    if (!point) continue;
    sawPoint = true;
    const depth = Math.floor(point[1].length / 4);
    const { description, directive } = splitDirective(point[4]);
    const childFailed = subtestFailed[depth + 1] === true;
    subtestFailed[depth + 1] = false;
    if (depth === 0) countPoint(points, point[2] === 'ok', directive);
    const comments = earlierComments;
    earlierComments = [];
    if (point[2] === 'ok' || directive === 'todo') continue;
    subtestFailed[depth] = true;

    const failure: TapFailure = { order: index, name: [...names.slice(0, depth), description].join(' > '), depth, fields: new Map(), diagnostics: [], earlierComments: comments, proveFile };
    const yaml = readYamlBlock(lines, index + 1);
    if (yaml) {
      failure.fields = yaml.fields;
      index = yaml.end;
      if (yaml.fields.has('duration_ms') || yaml.fields.has('failureType')) isNode = true;
    } else {
      // Test::More's diagnostics: `#` lines (and blank lines) right after the test point.
      while (index + 1 < lines.length && /^\s*(?:#|$)/.test(lines[index + 1]) && !/^\s*# (?:Looks like|Subtest:)/.test(lines[index + 1])) {
        index++;
        addMessageLine(failure.diagnostics, lines[index].replace(/^\s*# ?/, ''));
      }
    }
    const error = failure.fields.get('error') ?? failure.fields.get('message');
    if (failure.fields.get('failureType') === 'subtestsFailed' || (childFailed && error === undefined && failure.diagnostics.length === 0)) continue;
    if (found.length < MAX_FAILURES_READ) found.push(failure);
    else unread++;
  }

  if (!sawPoint && summary.size === 0) return { ...emptyResult(), noTests: emptyPlan };
  const runner: TestRunner = isNode ? 'node-test' : 'tap';
  const fromSummary = summary.has('tests');
  return {
    failures: found.map((failure) => toFailure(failure, runner, resolve)),
    unread,
    passed: fromSummary ? summary.get('pass') : points.passed,
    failed: fromSummary ? (summary.get('fail') ?? 0) + (summary.get('cancelled') ?? 0) : points.failed,
    skipped: fromSummary ? (summary.get('skipped') ?? 0) + (summary.get('todo') ?? 0) : points.skipped,
    noTests: summary.get('tests') === 0 || (emptyPlan && points.passed + points.failed + points.skipped === 0),
  };
};

const DIRECTIVE = /(?<!\\)#\s*(skip|todo)\b/i;

// `desc # SKIP reason` → the description and the directive (`\#` is a literal #).
function splitDirective(text: string): { description: string; directive: 'skip' | 'todo' | undefined } {
  const match = DIRECTIVE.exec(text);
  if (!match) return { description: text.trim(), directive: undefined };
  return { description: text.slice(0, match.index).trim(), directive: match[1].toLowerCase() === 'skip' ? 'skip' : 'todo' };
}

function countPoint(points: { passed: number; failed: number; skipped: number }, ok: boolean, directive: 'skip' | 'todo' | undefined): void {
  if (directive !== undefined) points.skipped++;
  else if (ok) points.passed++;
  else points.failed++;
}

function toFailure(failure: TapFailure, runner: TestRunner, resolve: ResolvePath): FoundFailure {
  const { fields } = failure;
  const stack = (fields.get('stack') ?? '').split('\n').map(readJsFrame);
  const at = fields.has('at') ? readJsFrame(fields.get('at') ?? '') : undefined;
  const location = fields.has('location') ? readJsFrame(fields.get('location') ?? '') : undefined;
  const error = fields.get('error') ?? fields.get('message');
  const loadFailure = error === 'test failed' && failure.earlierComments.length > 0;

  const messageLines: string[] = [];
  if (loadFailure) {
    // The error as Node printed it, up to its stack.
    const frameAt = failure.earlierComments.findIndex((line) => /^\s+at /.test(line));
    failure.earlierComments.slice(0, frameAt < 0 ? undefined : frameAt).forEach((line) => addMessageLine(messageLines, line));
  } else if (error !== undefined) {
    const name = fields.get('name');
    addMessageLine(messageLines, name && !error.startsWith(name) ? `${name}: ${error}` : error);
  }
  // Node's error already shows the two values; tape's description does not.
  if (runner === 'tap') {
    for (const key of ['expected', 'actual']) if (fields.has(key)) addMessageLine(messageLines, `${key}: ${fields.get(key)}`);
  }
  failure.diagnostics.forEach((line) => addMessageLine(messageLines, line));

  const places: RawLocation[] = [
    ...(at ? [at] : []),
    ...stack.filter((frame): frame is RawLocation => frame !== undefined),
    ...(loadFailure ? failure.earlierComments.flatMap((line) => findLocations(line)) : []),
    ...failure.diagnostics.flatMap((line) => findLocations(line)),
  ];
  const file = (location && resolve(location.rawPath)) ?? firstInside(places, resolve, looksLikeTestFile)?.file ?? (failure.proveFile && resolve(failure.proveFile));
  // The line that failed, when the trace passes through the test's file; else where the test starts.
  const line = places.find((place) => file !== undefined && resolve(place.rawPath) === file)?.line ?? (location && file === resolve(location.rawPath) ? location.line : undefined);
  return { order: failure.order, test: failure.name, file, line, message: formatMessage(messageLines), related: relatedFiles(places, file, resolve), runner };
}
