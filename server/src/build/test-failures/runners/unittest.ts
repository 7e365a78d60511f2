// Python's unittest (`python -m unittest -v`): after a `=====` line, `FAIL: test_count (tests.test_items.ItemsTest.test_count)`
// or `ERROR: …`, a `-----` line, a traceback (`  File "/abs/tests/test_items.py", line 15, in test_count`
// frames, each followed by its source line) and the exception, up to the next `=====` or `-----` line; then
// `Ran 6 tests in 0.001s` and `FAILED (failures=2, errors=1, skipped=1)` or `OK`. The test's frame is the
// one in the test method; a module that failed to import has none, and its first test-like file stands in.
import { addMessageLine, formatMessage } from '../failure-message';
import { firstInside, looksLikeTestFile, MAX_PLACES, readPythonFrame, relatedFiles, type PythonFrame } from '../locations';
import { addFailure, emptyResult, type RunnerParser } from '../test-failure';
import { countOf } from './summary-counts';

const DOUBLE_RULE = /^={20,}$/;
const SINGLE_RULE = /^-{20,}$/;
const HEADER = /^(FAIL|ERROR|UNEXPECTED SUCCESS): (.+)$/;
const RAN = /^Ran (\d+) tests? in /;
const OUTCOME = /^(FAILED|OK)(?: \((.*)\))?$/;

export const parseUnittest: RunnerParser = (lines, resolve) => {
  const result = emptyResult();
  let ran: number | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const ranLine = RAN.exec(line);
    if (ranLine) {
      ran = Number(ranLine[1]);
      if (ran === 0) result.noTests = true;
      continue;
    }
    if (line === 'NO TESTS RAN') result.noTests = true;
    const outcome = OUTCOME.exec(line);
    if (outcome && ran !== undefined) {
      const tally = outcome[2] ?? '';
      result.failed = countOf(tally, 'failures') + countOf(tally, 'errors') + countOf(tally, 'unexpected successes');
      result.skipped = countOf(tally, 'skipped');
      result.passed = Math.max(0, ran - result.failed - result.skipped);
      continue;
    }
    const header = DOUBLE_RULE.test(lines[index - 1] ?? '') ? HEADER.exec(line) : null;
    if (!header) continue;

    const order = index;
    const frames: PythonFrame[] = [];
    let messageLines: string[] = [];
    // After a frame comes its source line (and 3.11's ^^^ markers): indented lines until the next unindented one.
    let inSource = false;
    if (SINGLE_RULE.test(lines[index + 1] ?? '')) index++;
    while (index + 1 < lines.length && !DOUBLE_RULE.test(lines[index + 1]) && !SINGLE_RULE.test(lines[index + 1])) {
      const next = lines[++index];
      const frame = readPythonFrame(next);
      if (frame) {
        [inSource, messageLines] = [true, []];
        if (frames.length < MAX_PLACES) frames.push(frame);
      } else if (inSource && /^\s/.test(next)) continue;
      else {
        inSource = false;
        addMessageLine(messageLines, next);
      }
    }
    const test = header[2].trim();
    addFailure(result, () => {
      const methodName = /^(\S+)/.exec(test)?.[1];
      const testFrame = frames.find((frame) => frame.functionName === methodName && resolve(frame.rawPath) !== undefined);
      const place = testFrame ? { file: resolve(testFrame.rawPath), line: testFrame.line } : firstInside(frames, resolve, looksLikeTestFile);
      return { order, test, file: place?.file, line: place?.line, message: formatMessage(messageLines), related: relatedFiles(frames, place?.file, resolve), runner: 'unittest' };
    });
  }
  return result;
};
