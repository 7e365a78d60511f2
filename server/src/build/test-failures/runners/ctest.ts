// `ctest` (with --output-on-failure): `3/4 Test #3: sums ......***Failed  0.00 sec` per test, the test's
// own output after a failed one, `50% tests passed, 2 tests failed out of 4`, and the lists of tests that
// failed (`  3 - sums (Failed)`) and did not run. CTest does not know where a test is written: its file is
// the first place in its output that looks like a test's file, and the other places are the code under test.
import { addMessageLine, formatMessage } from '../failure-message';
import { findLocations, firstInside, looksLikeTestFile, relatedFiles, type RawLocation } from '../locations';
import { addFailure, emptyResult, type FoundFailure, type ResolvePath, type RunnerParser } from '../test-failure';

// `3/4 Test #3: sums ......***Failed    0.00 sec`, read in three steps so that no part is matched twice.
const RESULT_HEAD = /^\s*\d+\/\d+ Test\s+#\d+: /;
const RESULT_TAIL = /\s+[\d.]+ sec\s*$/;
const NAME_AND_STATUS = /^(.*?) \.+(.*)$/;
const START = /^\s+Start\s+\d+: /;
const TALLY = /^\d+% tests passed, (\d+) tests? failed out of (\d+)/;
const LIST_HEADER = /^The following tests (FAILED|did not run):$/;
const LIST_ENTRY = /^\s+\d+ - (.+) \((.+)\)$/;
// Names of failed tests remembered, so that the closing list does not repeat them; a flood's are not.
const MAX_NAMES = 10_000;
// Result lines are short; a long line is no result line.
const MAX_RESULT_LINE = 400;

export const parseCtest: RunnerParser = (lines, resolve) => {
  const result = emptyResult();
  const named = new Set<string>();
  let list: 'FAILED' | 'did not run' | undefined;
  let notRun = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.startsWith('No tests were found!!!')) result.noTests = true;
    const tally = TALLY.exec(line);
    if (tally) [result.failed, result.passed] = [Number(tally[1]), Number(tally[2]) - Number(tally[1])];
    const header = LIST_HEADER.exec(line);
    if (header) {
      list = header[1] === 'FAILED' ? 'FAILED' : 'did not run';
      continue;
    }
    const entry = list && line.length <= MAX_RESULT_LINE ? LIST_ENTRY.exec(line) : null;
    if (entry) {
      if (list === 'did not run') notRun++;
      else if (!named.has(entry[1])) addFailure(result, () => failure(index, entry[1], [entry[2]], resolve));
      continue;
    }
    list = undefined;
    const test = readResult(line);
    // A test whose executable is missing is `Not Run` and failed; a disabled one is `Not Run (Disabled)`.
    if (!test || /^(?:Passed|Skipped|Not Run \(Disabled\))/.test(test.status)) continue;
    const order = index;
    const output: string[] = [];
    while (index + 1 < lines.length && !START.test(lines[index + 1]) && !readResult(lines[index + 1]) && !TALLY.test(lines[index + 1])) {
      addMessageLine(output, lines[++index]);
    }
    if (named.size < MAX_NAMES) named.add(test.name);
    addFailure(result, () => failure(order, test.name, output.some((text) => text.trim() !== '') ? output : [test.status], resolve));
  }
  if (result.passed !== undefined) [result.passed, result.skipped] = [Math.max(0, result.passed - notRun), notRun];
  return result;
};

function readResult(line: string): { name: string; status: string } | undefined {
  const head = line.length <= MAX_RESULT_LINE ? RESULT_HEAD.exec(line) : null;
  const tail = head && RESULT_TAIL.exec(line);
  const middle = tail && NAME_AND_STATUS.exec(line.slice(head[0].length, tail.index));
  if (!middle) return undefined;
  return { name: middle[1], status: middle[2].replace(/\*+/g, ' ').trim().replace(/:$/, '') };
}

function failure(order: number, test: string, output: string[], resolve: ResolvePath): FoundFailure {
  const places: RawLocation[] = output.flatMap((line) => findLocations(line));
  const place = firstInside(places, resolve, looksLikeTestFile);
  return { order, test, file: place?.file, line: place?.line, message: formatMessage(output), related: relatedFiles(places, place?.file, resolve), runner: 'ctest' };
}
