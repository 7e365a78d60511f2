// `go test` (plain and -v): `--- FAIL: TestX (0.00s)` with the test's `    file_test.go:12: message` lines
// (after the FAIL line, or after `=== RUN TestX` with -v), subtests as `TestX/case` one level deeper, panics
// with goroutine traces, then a `FAIL\tpkg`, `ok  \tpkg` or `?   \tpkg\t[no test files]` line per package.
// Build (and vet) errors come under `# pkg [pkg.test]` headers and become one failure each, named by the package.
// A parent test that failed only because a subtest did is left out; a package that failed with nothing
// else to show for it becomes a failure of its own.
import { addMessageLine, formatMessage } from '../failure-message';
import { MAX_PLACES, relatedFiles, type RawLocation } from '../locations';
import { MAX_FAILURES_READ, type FoundFailure, type ResolvePath, type RunnerParser } from '../test-failure';
import { packageFolders, packageOfFunction } from './go-packages';

const RUN = /^=== (?:RUN|CONT|NAME|PAUSE)\s+(\S+)$/;
const RESULT = /^\s*--- (FAIL|PASS|SKIP): (\S+) \(/;
const PACKAGE = /^(ok  |FAIL|\?   )\t(\S+)(?:[\t ]+(.*))?$/;
const MESSAGE_PLACE = /^\s+([^\s:]+\.go):(\d+): /;
const BUILD_HEADER = /^# (\S+)(?: \[.*\])?$/;
const BUILD_ERROR = /^(?:vet: )?(\S.*?\.go):(\d+)(?::\d+)?: (.*)$/;
const TRACE_PLACE = /^\t(\S.*?):(\d+)(?: \+0x[0-9a-f]+)?$/;
const GOROUTINE = /^goroutine \d+ \[/;
// Lines between `panic: …` and its trace: the message, `[recovered]` lines, a timeout's running tests.
const PANIC_LOOKAHEAD = 100;
// Running tests remembered per package: enough for any real run, bounded for a flood.
const MAX_RUNNING_TESTS = 10_000;

interface GoTest {
  name: string;
  order: number;
  failed: boolean;
  packagePath: string | undefined;
  messages: string[];
  /** `file.go:N` as the test printed it: a base name inside the package's folder. */
  places: RawLocation[];
  panic: string[];
  /** From a goroutine trace: absolute paths, with the function each frame is in. */
  frames: (RawLocation & { functionName: string })[];
}

interface FailedPackage {
  path: string;
  order: number;
}

export const parseGo: RunnerParser = (lines, resolve) => {
  const folders = packageFolders();
  const failing: GoTest[] = [];
  let unreadTests = 0;
  let unreadBuildErrors = 0;
  const counts = { passed: 0, skipped: 0 };
  const buildFailures: { failure: FoundFailure; message: string[] }[] = [];
  let lastBuildFailure: { failure: FoundFailure; message: string[] } | undefined;
  const failedPackages: FailedPackage[] = [];
  const packageLines = { all: 0, withoutTests: 0 };
  // Tests since the last package line, by name, and the failing ones among them: that line names their package.
  let running = new Map<string, GoTest>();
  let failingSincePackage = 0;
  let current: GoTest | undefined;
  let verbose = false;
  let sawResults = false;
  let buildPackage: string | undefined;
  let panicking: GoTest | undefined;
  let inTrace = false;
  let traceFunction = '';

  const testNamed = (name: string, order: number): GoTest => {
    const known = running.get(name);
    if (known) return known;
    const test: GoTest = { name, order, failed: false, packagePath: undefined, messages: [], places: [], panic: [], frames: [] };
    if (running.size < MAX_RUNNING_TESTS) running.set(name, test);
    return test;
  };
  const markFailed = (test: GoTest) => {
    if (test.failed) return;
    test.failed = true;
    if (failing.length < MAX_FAILURES_READ) failing.push(test);
    else unreadTests++;
  };

  // A test may print `panic: …` itself; a real panic has a goroutine trace within a few lines. Lines looked
  // ahead at are not looked at again, so a flood of `panic:` lines is still one pass.
  let nextGoroutine = -1;
  let lookedAheadTo = 0;
  const goroutineFollows = (at: number): boolean => {
    if (nextGoroutine <= at) {
      nextGoroutine = -1;
      for (let ahead = Math.max(at + 1, lookedAheadTo); ahead < lines.length && ahead <= at + PANIC_LOOKAHEAD; ahead++) {
        lookedAheadTo = ahead + 1;
        if (GOROUTINE.test(lines[ahead])) {
          nextGoroutine = ahead;
          break;
        }
      }
    }
    return nextGoroutine > at && nextGoroutine <= at + PANIC_LOOKAHEAD;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (panicking) {
      if (!inTrace && line.trim() === '') continue;
      if (GOROUTINE.test(line)) {
        inTrace = true;
        continue;
      }
      if (!inTrace) {
        addMessageLine(panicking.panic, line);
        continue;
      }
      const place = TRACE_PLACE.exec(line);
      if (place) {
        if (panicking.frames.length < MAX_PLACES) panicking.frames.push({ rawPath: place[1], line: Number(place[2]), functionName: traceFunction });
        const file = resolve(place[1]);
        if (file !== undefined && traceFunction !== '') folders.learn(packageOfFunction(traceFunction), file);
        continue;
      }
      if (line !== '' && !/^\s/.test(line) && !PACKAGE.test(line) && !/^(?:FAIL|exit status \d+)$/.test(line)) {
        traceFunction = line.replace(/^created by /, '').replace(/\(.*$/, '');
        continue;
      }
      [panicking, inTrace] = [undefined, false];
    }

    const run = RUN.exec(line);
    if (run) {
      verbose = true;
      current = testNamed(run[1], index);
      continue;
    }
    const result = RESULT.exec(line);
    if (result) {
      sawResults = true;
      current = testNamed(result[2], index);
      if (result[1] === 'FAIL') {
        current.order = index;
        markFailed(current);
      } else if (result[1] === 'PASS') counts.passed++;
      else counts.skipped++;
      continue;
    }
    if (line.startsWith('panic: ') && goroutineFollows(index)) {
      // A panic outside any test (init, TestMain) is named after its package, once that is known.
      panicking = current ?? testNamed('', index);
      // What follows the trace (other goroutines' frames) is not the test's message.
      current = undefined;
      markFailed(panicking);
      addMessageLine(panicking.panic, line);
      traceFunction = '';
      continue;
    }
    const packageLine = PACKAGE.exec(line);
    if (packageLine) {
      for (const test of failing.slice(failingSincePackage)) test.packagePath = packageLine[2];
      packageLines.all++;
      if (/\[no test(?:s to run| files)\]/.test(packageLine[3] ?? '')) packageLines.withoutTests++;
      if (packageLine[1] === 'FAIL' && failedPackages.length < MAX_FAILURES_READ) failedPackages.push({ path: packageLine[2], order: index });
      [running, failingSincePackage, current, buildPackage] = [new Map(), failing.length, undefined, undefined];
      continue;
    }
    const header = BUILD_HEADER.exec(line);
    if (header) {
      [buildPackage, lastBuildFailure] = [header[1], undefined];
      continue;
    }
    if (buildPackage !== undefined) {
      const error = BUILD_ERROR.exec(line);
      if (error) {
        const file = resolve(error[1]);
        if (file !== undefined) folders.learn(buildPackage, file);
        lastBuildFailure = { failure: { order: index, runner: 'go', test: buildPackage, file, line: Number(error[2]), message: '', related: [] }, message: [error[3]] };
        if (buildFailures.length < MAX_FAILURES_READ) buildFailures.push(lastBuildFailure);
        else unreadBuildErrors++;
        continue;
      }
      if (lastBuildFailure && line.startsWith('\t')) {
        addMessageLine(lastBuildFailure.message, line);
        continue;
      }
      buildPackage = undefined;
    }
    if (current && /^\s+\S/.test(line)) {
      addMessageLine(current.messages, line);
      const place = MESSAGE_PLACE.exec(line);
      if (place && current.places.length < MAX_PLACES) current.places.push({ rawPath: place[1], line: Number(place[2]) });
    }
  }

  const failedParents = new Set(failing.flatMap((test) => parentKeys(test)));
  const leaves = failing.filter((test) => !(failedParents.has(keyOf(test)) && test.messages.length === 0 && test.panic.length === 0));
  const failures = [...leaves.map((test) => toFailure(test, folders.folderOf.bind(folders), resolve)), ...buildFailures.map(({ failure, message }) => ({ ...failure, message: formatMessage(message) }))];
  const shown = new Set([...leaves.map((test) => test.packagePath), ...buildFailures.map(({ failure }) => failure.test)]);
  for (const failedPackage of failedPackages.filter((entry) => !shown.has(entry.path))) {
    failures.push({ order: failedPackage.order, runner: 'go', test: failedPackage.path, file: undefined, line: undefined, message: lines[failedPackage.order].replace(/\t/g, ' ').trim(), related: [] });
  }
  return {
    failures: failures.slice(0, MAX_FAILURES_READ),
    unread: unreadTests + unreadBuildErrors + Math.max(0, failures.length - MAX_FAILURES_READ),
    // Go prints no tally; -v prints a line for every test, plain output only the failures'.
    passed: verbose ? counts.passed : undefined,
    failed: sawResults ? leaves.length + unreadTests : undefined,
    skipped: verbose ? counts.skipped : undefined,
    noTests: packageLines.all > 0 && packageLines.withoutTests === packageLines.all,
  };
};

function keyOf(test: GoTest): string {
  return `${test.packagePath ?? ''}\0${test.name}`;
}

// `TestX/a/b` in its package: the keys of `TestX` and `TestX/a`. Names are short; a flood's are not looked at.
function parentKeys(test: GoTest): string[] {
  if (test.name.length > 1000) return [];
  const parts = test.name.split('/');
  return parts.slice(1).map((_, depth) => `${test.packagePath ?? ''}\0${parts.slice(0, depth + 1).join('/')}`);
}

function toFailure(test: GoTest, folderOf: (importPath: string) => string | undefined, resolve: ResolvePath): FoundFailure {
  const folder = test.packagePath === undefined ? undefined : folderOf(test.packagePath);
  // A base name means a file in the package's folder; without the folder it could be any file of that name.
  const inPackage = (place: RawLocation): RawLocation | undefined => {
    if (place.rawPath.includes('/')) return place;
    if (folder === undefined) return undefined;
    return { rawPath: folder === '' ? place.rawPath : `${folder}/${place.rawPath}`, line: place.line };
  };
  const places = test.places.map(inPackage).filter((place): place is RawLocation => place !== undefined);
  const topName = test.name.split('/')[0];
  const testFrame = test.frames.find((frame) => frame.functionName.endsWith(`.${topName}`) && resolve(frame.rawPath) !== undefined);
  const fileLine = testFrame ?? places.find((place) => resolve(place.rawPath) !== undefined);
  const file = fileLine && resolve(fileLine.rawPath);
  const message = formatMessage([...test.messages, ...test.panic]);
  return { order: test.order, test: test.name || (test.packagePath ?? 'panic'), file, line: fileLine?.line, message, related: relatedFiles([...places, ...test.frames], file, resolve), runner: 'go' };
}
