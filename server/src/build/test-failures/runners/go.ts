// `go test` (plain and -v): `--- FAIL: TestX (0.00s)` with the test's `    file_test.go:12: message` lines
// (after the FAIL line, or after `=== RUN TestX` with -v), subtests as `TestX/case` one level deeper, panics
// with goroutine traces, then a `FAIL\tpkg`, `ok  \tpkg` or `?   \tpkg\t[no test files]` line per package.
// Build (and vet) errors come under `# pkg [pkg.test]` headers and become one failure each, named by the package.
// A parent test that failed only because a subtest did is left out; a package that failed with nothing
// else to show for it becomes a failure of its own.
import { addMessageLine, formatMessage } from '../failure-message';
import { relatedFiles, type RawLocation } from '../locations';
import type { FoundFailure, ResolvePath, RunnerParser, RunnerResult } from '../test-failure';
import { packageFolders, packageOfFunction } from './go-packages';

const RUN = /^=== (?:RUN|CONT|NAME|PAUSE)\s+(\S+)$/;
const RESULT = /^\s*--- (FAIL|PASS|SKIP): (\S+) \(/;
const PACKAGE = /^(ok  |FAIL|\?   )\t(\S+)(?:[\t ]+(.*))?$/;
const MESSAGE_PLACE = /^\s+([^\s:]+\.go):(\d+): /;
const BUILD_HEADER = /^# (\S+)(?: \[.*\])?$/;
const BUILD_ERROR = /^(?:vet: )?(\S.*?\.go):(\d+)(?::\d+)?: (.*)$/;
const TRACE_PLACE = /^\t(\S.*?):(\d+)(?: \+0x[0-9a-f]+)?$/;
const GOROUTINE = /^goroutine \d+ \[/;

interface GoTest {
  name: string;
  order: number;
  status: 'FAIL' | 'PASS' | 'SKIP' | undefined;
  packagePath: string | undefined;
  messages: string[];
  /** `file.go:N` as the test printed it: a base name inside the package's folder. */
  places: RawLocation[];
  panic: string[];
  /** From a goroutine trace: absolute paths, with the function each frame is in. */
  frames: (RawLocation & { functionName: string })[];
}

interface Package {
  path: string;
  failed: boolean;
  noTests: boolean;
  order: number;
}

export const parseGo: RunnerParser = (lines, resolve) => {
  const folders = packageFolders();
  const tests: GoTest[] = [];
  const buildFailures: FoundFailure[] = [];
  // Each build error's message lines: its text, then the tab-indented lines that continue it.
  const buildMessages: string[][] = [];
  const packages: Package[] = [];
  // Tests since the last package line, by name: that line names their package.
  let pending = new Map<string, GoTest>();
  let current: GoTest | undefined;
  let verbose = false;
  let buildPackage: string | undefined;
  let buildMessage: string[] = [];
  let panicking: GoTest | undefined;
  let inTrace = false;
  let traceFunction = '';

  const testNamed = (name: string, order: number): GoTest => {
    let test = pending.get(name);
    if (!test) {
      test = { name, order, status: undefined, packagePath: undefined, messages: [], places: [], panic: [], frames: [] };
      pending.set(name, test);
      tests.push(test);
    }
    return test;
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
        panicking.frames.push({ rawPath: place[1], line: Number(place[2]), functionName: traceFunction });
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
      current = testNamed(result[2], index);
      current.status = result[1] === 'FAIL' ? 'FAIL' : result[1] === 'PASS' ? 'PASS' : 'SKIP';
      if (current.status === 'FAIL') current.order = index;
      continue;
    }
    if (line.startsWith('panic: ')) {
      panicking = current ?? testNamed('panic', index);
      // What follows the trace (other goroutines' frames) is not the test's message.
      current = undefined;
      if (panicking.status === undefined) panicking.status = 'FAIL';
      addMessageLine(panicking.panic, line);
      traceFunction = '';
      continue;
    }
    const packageLine = PACKAGE.exec(line);
    if (packageLine) {
      for (const test of pending.values()) test.packagePath = packageLine[2];
      const note = packageLine[3] ?? '';
      packages.push({ path: packageLine[2], failed: packageLine[1] === 'FAIL', noTests: /\[no test(?:s to run| files)\]/.test(note), order: index });
      [pending, current, buildPackage] = [new Map(), undefined, undefined];
      continue;
    }
    const header = BUILD_HEADER.exec(line);
    if (header) {
      buildPackage = header[1];
      continue;
    }
    if (buildPackage !== undefined) {
      const error = BUILD_ERROR.exec(line);
      if (error) {
        const file = resolve(error[1]);
        if (file !== undefined) folders.learn(buildPackage, file);
        buildMessage = [error[3]];
        buildFailures.push({ order: index, runner: 'go', test: buildPackage, file, line: Number(error[2]), message: '', related: [] });
        buildMessages.push(buildMessage);
        continue;
      }
      if (buildFailures.length > 0 && line.startsWith('\t')) {
        addMessageLine(buildMessage, line);
        continue;
      }
      buildPackage = undefined;
    }
    if (current && /^\s+\S/.test(line)) {
      addMessageLine(current.messages, line);
      const place = MESSAGE_PLACE.exec(line);
      if (place) current.places.push({ rawPath: place[1], line: Number(place[2]) });
    }
  }

  buildFailures.forEach((failure, at) => (failure.message = formatMessage(buildMessages[at])));
  const failedParents = new Set(tests.filter((test) => test.status === 'FAIL').flatMap((test) => parentKeys(test)));
  const failing = tests.filter((test) => test.status === 'FAIL' && !(failedParents.has(keyOf(test)) && test.messages.length === 0 && test.panic.length === 0));
  const failures = [...failing.map((test) => toFailure(test, folders.folderOf.bind(folders), resolve)), ...buildFailures];
  const shown = new Set([...failing.map((test) => test.packagePath), ...buildFailures.map((failure) => failure.test)]);
  for (const failedPackage of packages.filter((entry) => entry.failed && !shown.has(entry.path))) {
    failures.push({ order: failedPackage.order, runner: 'go', test: failedPackage.path, file: undefined, line: undefined, message: lines[failedPackage.order].replace(/\t/g, ' ').trim(), related: [] });
  }
  const recognised = packages.length > 0 || tests.length > 0;
  const report: RunnerResult = {
    failures,
    passed: verbose ? tests.filter((test) => test.status === 'PASS').length : undefined,
    failed: recognised ? failing.length : undefined,
    skipped: verbose ? tests.filter((test) => test.status === 'SKIP').length : undefined,
    noTests: packages.length > 0 && packages.every((entry) => entry.noTests),
  };
  return report;
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
  return { order: test.order, runner: 'go', test: test.name, file, line: fileLine?.line, message, related: relatedFiles([...places, ...test.frames], file, resolve) };
}
