// Jest's default reporter: `FAIL path/to.test.js` per file, then for each failure a `  ● suite › test` block
// — the message, a code frame, and `at fn (path:L:C)` frames — ending at the next block or at a line indented
// less (console output, the next file). `● Test suite failed to run` is a file that failed to load.
import { formatMessage } from '../failure-message';
import { addFailure, emptyResult, type RunnerParser } from '../test-failure';
import { placeInTestFile, readFailureBody } from './js-stack';
import { countOf } from './summary-counts';

const FILE_HEADER = /^(?:FAIL|PASS) (\S.*?)(?: \(\d[\d.]* m?s\))?$/;
const BLOCK = /^ {2}● (.+)$/;
const FRAME = /^\s+at (.+)$/;
const TESTS_SUMMARY = /^Tests:\s+(.*\d+ total)$/;

export const parseJest: RunnerParser = (lines, resolve) => {
  const result = emptyResult();
  let testFile: string | undefined;
  let sawHeader = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const header = FILE_HEADER.exec(line);
    if (header) {
      [testFile, sawHeader] = [resolve(header[1]), true];
      continue;
    }
    const summary = TESTS_SUMMARY.exec(line);
    if (summary) {
      result.passed = countOf(summary[1], 'passed');
      result.failed = countOf(summary[1], 'failed');
      result.skipped = countOf(summary[1], 'skipped') + countOf(summary[1], 'todo');
      if (countOf(summary[1], 'total') === 0) result.noTests = true;
      continue;
    }
    if (line.startsWith('No tests found, exiting with code')) result.noTests = true;
    const block = sawHeader ? BLOCK.exec(line) : null;
    if (!block) continue;

    const order = index;
    // The message ends where the code frame or the stack starts.
    const body = readFailureBody(lines, index, (next) => !BLOCK.test(next) && (next.trim() === '' || next.startsWith('    ')), FRAME);
    index = body.index;
    const { messageLines, frames } = body;
    const test = block[1].trim();
    addFailure(result, () => ({ order, test, ...placeInTestFile(testFile, frames, resolve), message: formatMessage(messageLines), runner: 'jest' }));
  }
  return result;
};
