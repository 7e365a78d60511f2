// `cargo test`: per test binary a `running N tests` block with `---- path::to::test stdout ----` sections —
// the test's output, then `thread '…' panicked at src/x.rs:L:C:` and the message (before Rust 1.73:
// `panicked at 'message', src/x.rs:L:C`), with `RUST_BACKTRACE=1` a backtrace of `N: crate::fn` /
// `at ./src/x.rs:L:C` lines — and a `test result:` line. cargo prints `Running tests/stock.rs (…)` on
// stderr, so the Nth `Running` line belongs to the Nth block, wherever it was printed.
//
// The test's file: the backtrace frame of the test function; else the panic's place when its file can hold
// the test's module (`inventory::tests::x` in src/inventory.rs); else the binary's root file (tests/stock.rs,
// or src/lib.rs for a test in the crate root's `tests` module). A panic elsewhere is the code under test.
import { posix } from 'node:path';
import { addMessageLine, formatMessage } from '../failure-message';
import { MAX_PLACES, relatedFiles, type RawLocation } from '../locations';
import { emptyResult, MAX_FAILURES_READ, type FoundFailure, type ResolvePath, type RunnerParser } from '../test-failure';

const BINARY = /^\s+(?:Running (?:unittests )?(\S+) \(|Doc-tests (\S+))/;
const RUNNING = /^running \d+ tests?$/;
const SECTION = /^---- (\S+) stdout ----$/;
const PANIC_PLACE = /^(.+?):(\d+):(\d+):?$/;
const FRAME_FUNCTION = /^\s+\d+: (.+)$/;
const FRAME_PLACE = /^\s+at (.+?):(\d+)(?::\d+)?$/;
const RESULT = /^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored;/;
// Test binaries remembered, in order: a workspace has dozens, a flood is not kept.
const MAX_BINARIES = 10_000;
const SECTION_END = /^(?:----|failures:$|test result:)/;

interface CargoFailure {
  order: number;
  test: string;
  block: number;
  panic: RawLocation | undefined;
  messageLines: string[];
  frames: (RawLocation & { functionName: string })[];
}

export const parseCargo: RunnerParser = (lines, resolve) => {
  const result = emptyResult();
  const binaries: (string | undefined)[] = [];
  const found: CargoFailure[] = [];
  let block = -1;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const binary = BINARY.exec(line);
    if (binary) {
      if (binaries.length < MAX_BINARIES) binaries.push(binary[1]);
      continue;
    }
    if (RUNNING.test(line)) {
      block++;
      continue;
    }
    const tally = RESULT.exec(line);
    if (tally) {
      result.passed = (result.passed ?? 0) + Number(tally[1]);
      result.failed = (result.failed ?? 0) + Number(tally[2]);
      result.skipped = (result.skipped ?? 0) + Number(tally[3]);
      continue;
    }
    const section = SECTION.exec(line);
    if (!section) continue;
    const failure: CargoFailure = { order: index, test: section[1], block, panic: undefined, messageLines: [], frames: [] };
    let inMessage = false;
    let functionName = '';
    while (index + 1 < lines.length && !SECTION_END.test(lines[index + 1])) {
      const next = lines[++index];
      const panic = readPanic(next);
      if (panic) {
        failure.panic = panic.place;
        failure.messageLines = [];
        if (panic.message !== undefined) addMessageLine(failure.messageLines, panic.message);
        inMessage = panic.message === undefined;
        continue;
      }
      if (/^(?:note: |stack backtrace:)/.test(next)) inMessage = false;
      if (inMessage) addMessageLine(failure.messageLines, next);
      const frameFunction = FRAME_FUNCTION.exec(next);
      if (frameFunction) functionName = frameFunction[1];
      const place = FRAME_PLACE.exec(next);
      if (place && failure.frames.length < MAX_PLACES) failure.frames.push({ rawPath: place[1], line: Number(place[2]), functionName });
    }
    if (found.length < MAX_FAILURES_READ) found.push(failure);
    else result.unread++;
  }
  const total = (result.passed ?? 0) + (result.failed ?? 0) + (result.skipped ?? 0);
  result.noTests = result.passed !== undefined && total === 0;
  result.failures = found.map((failure) => toFailure(failure, binaries[failure.block], resolve));
  return result;
};

/**
 * `thread 'name' panicked at src/lib.rs:10:9:` (the message on the lines below) or, before Rust 1.73,
 * `thread 'name' panicked at 'message', src/lib.rs:10:9`. Read by position, since a message may hold quotes.
 */
function readPanic(line: string): { place: RawLocation; message: string | undefined } | undefined {
  const marker = line.startsWith("thread '") ? line.indexOf(' panicked at ') : -1;
  if (marker < 0) return undefined;
  let rest = line.slice(marker + ' panicked at '.length);
  let message: string | undefined;
  if (rest.startsWith("'")) {
    const end = rest.lastIndexOf("', ");
    if (end < 0) return undefined;
    [message, rest] = [rest.slice(1, end), rest.slice(end + 3)];
  }
  const place = PANIC_PLACE.exec(rest);
  return place ? { place: { rawPath: place[1], line: Number(place[2]) }, message } : undefined;
}

function toFailure(failure: CargoFailure, binaryRoot: string | undefined, resolve: ResolvePath): FoundFailure {
  const modules = failure.test.split('::').slice(0, -1);
  const testFrame = failure.frames.find((frame) => frame.functionName.endsWith(`::${failure.test}`) && resolve(frame.rawPath) !== undefined);
  const panicFile = failure.panic && resolve(failure.panic.rawPath);
  const root = binaryRoot === undefined ? undefined : resolve(binaryRoot);
  let place: { file: string | undefined; line: number | undefined } | undefined;
  if (testFrame) place = { file: resolve(testFrame.rawPath), line: testFrame.line };
  else if (panicFile !== undefined && canHoldModule(panicFile, modules, root)) place = { file: panicFile, line: failure.panic?.line };
  else if (root !== undefined && (root.startsWith('tests/') || modules.every((module) => module === 'tests'))) place = { file: root, line: undefined };
  const related = relatedFiles([...(failure.panic ? [failure.panic] : []), ...failure.frames], place?.file, resolve);
  return { order: failure.order, test: failure.test, file: place?.file, line: place?.line, message: formatMessage(failure.messageLines), related, runner: 'cargo' };
}

// Whether `file` can be where the module path `modules` (`inventory::tests`) is written: the crate root for
// `tests`, src/inventory.rs or src/inventory/mod.rs for `inventory::tests`, and so on down.
function canHoldModule(file: string, modules: readonly string[], root: string | undefined): boolean {
  if (file === root) return modules.every((module) => module === 'tests');
  if (root === undefined) return false;
  const base = posix.dirname(root);
  const relative = file.startsWith(`${base}/`) ? file.slice(base.length + 1) : undefined;
  if (relative === undefined) return false;
  const parts = relative.replace(/\.rs$/, '').replace(/\/mod$/, '').split('/');
  return parts.every((part, at) => modules[at] === part) && modules.slice(parts.length).every((module) => module === 'tests');
}
