// Vitest's default reporter: after the run, each failure as ` FAIL  path/x.test.ts > suite > test` (a file that
// failed to load: ` FAIL  path/x.test.ts [ path/x.test.ts ]`), the error and its diff, then `❯ fn path:L:C`
// frames, each maybe with a code frame, up to a `⎯⎯⎯` divider. The tree printed before (`× suite > test`)
// repeats what the blocks say and is not read.
import { formatMessage } from '../failure-message';
import { addFailure, emptyResult, type RunnerParser } from '../test-failure';
import { placeInTestFile, readFailureBody } from './js-stack';
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
    const body = readFailureBody(lines, index, (next) => !DIVIDER.test(next) && !HEADER.test(next), FRAME);
    index = body.index;
    const { messageLines, frames } = body;
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
