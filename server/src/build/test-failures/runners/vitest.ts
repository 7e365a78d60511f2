// Vitest's default reporter: after the run, each failure as ` FAIL  path/x.test.ts > suite > test` (a file that
// failed to load: ` FAIL  path/x.test.ts [ path/x.test.ts ]`), the error and its diff, then `❯ fn path:L:C`
// frames, each maybe with a code frame, up to a `⎯⎯⎯` divider. The tree printed before (`× suite > test`)
// repeats what the blocks say and is not read.
import { addMessageLine, formatMessage } from '../failure-message';
import { MAX_PLACES, readJsFrame, type RawLocation } from '../locations';
import { addFailure, emptyResult, type RunnerParser } from '../test-failure';
import { isCodeFrameLine, placeInTestFile } from './js-stack';
import { countOf } from './summary-counts';

const HEADER = /^ FAIL {2}(?:\|[^|]*\| )?(.+)$/;
const FRAME = /^\s*❯ (.+)$/;
const DIVIDER = /^⎯/;
const TESTS_SUMMARY = /^\s+Tests\s+(\d.*)$/;

export const parseVitest: RunnerParser = (lines, resolve) => {
  const result = emptyResult();
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const summary = TESTS_SUMMARY.exec(line);
    if (summary) {
      result.passed = countOf(summary[1], 'passed');
      result.failed = countOf(summary[1], 'failed');
      result.skipped = countOf(summary[1], 'skipped') + countOf(summary[1], 'todo');
      continue;
    }
    if (line.startsWith('No test files found, exiting with code')) result.noTests = true;
    const header = HEADER.exec(line);
    if (!header) continue;

    const { path, test } = splitHeader(header[1]);
    const order = index;
    const messageLines: string[] = [];
    const frames: RawLocation[] = [];
    let inMessage = true;
    while (index + 1 < lines.length && !DIVIDER.test(lines[index + 1]) && !HEADER.test(lines[index + 1])) {
      const next = lines[++index];
      const frame = FRAME.exec(next);
      if (frame || isCodeFrameLine(next)) inMessage = false;
      const place = frame && readJsFrame(frame[1]);
      if (place) {
        if (frames.length < MAX_PLACES) frames.push(place);
      }
      else if (inMessage) addMessageLine(messageLines, next);
    }
    addFailure(result, () => ({ order, test, ...placeInTestFile(resolve(path), frames, resolve), message: formatMessage(messageLines), runner: 'vitest' }));
  }
  return result;
};

// `test/cart.test.ts > cart > totals` → the file and `cart > totals`; a load failure is named by its file.
function splitHeader(text: string): { path: string; test: string } {
  const suite = / \[ (.+) \]$/.exec(text);
  if (suite) return { path: suite[1], test: suite[1] };
  const split = text.indexOf(' > ');
  return split < 0 ? { path: text.trim(), test: text.trim() } : { path: text.slice(0, split), test: text.slice(split + 3).trim() };
}
