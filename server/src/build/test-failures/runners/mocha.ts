// Mocha's spec reporter: after `N failing`, each failure as `  1) suite` with its nested titles on the lines
// below, the last ending in `:`, then the error and diff, then `at fn (path:L:C)` frames. The test's own
// frame is `Context.<anonymous>` (mocha calls tests on a Context): its file is the test's file.
import { addMessageLine, formatMessage } from '../failure-message';
import { firstInside, looksLikeTestFile, MAX_PLACES, readJsFrame, relatedFiles, type RawLocation } from '../locations';
import { addFailure, emptyResult, type RunnerParser } from '../test-failure';

const COUNT = /^\s+(\d+) (passing|failing|pending)\b/;
const HEADER = /^ {2}(\d+)\) (.*)$/;
const FRAME = /^\s+at (.+)$/;
// Titles of nested suites are short; a title that never ends is not one.
const MAX_TITLE_LINES = 12;

export const parseMocha: RunnerParser = (lines, resolve) => {
  const result = emptyResult();
  let failingSeen = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const count = COUNT.exec(line);
    if (count) {
      const value = Number(count[1]);
      if (count[2] === 'passing') [result.passed, result.failed, result.skipped] = [value, 0, 0];
      else if (count[2] === 'pending') result.skipped = value;
      else [result.failed, failingSeen] = [value, true];
      if (count[2] === 'passing' && value === 0) result.noTests = true;
      continue;
    }
    if (line.startsWith('Error: No test files found')) result.noTests = true;
    const header = failingSeen ? HEADER.exec(line) : null;
    if (!header) continue;

    const order = index;
    const titles = [header[2].trim()];
    while (!titles[titles.length - 1].endsWith(':') && titles.length < MAX_TITLE_LINES && index + 1 < lines.length && lines[index + 1].trim() !== '') {
      titles.push(lines[++index].trim());
    }
    const messageLines: string[] = [];
    const frames: (RawLocation & { inContext: boolean })[] = [];
    while (index + 1 < lines.length && !HEADER.test(lines[index + 1]) && !(frames.length > 0 && lines[index + 1].trim() === '')) {
      const next = lines[++index];
      const frame = FRAME.exec(next);
      const place = frame && readJsFrame(frame[1]);
      if (place) {
        if (frames.length < MAX_PLACES) frames.push({ ...place, inContext: /^Context\./.test(frame[1]) });
      }
      else if (!frame && frames.length === 0) addMessageLine(messageLines, next);
    }
    addFailure(result, () => {
      const testFrame = frames.find((frame) => frame.inContext && resolve(frame.rawPath) !== undefined);
      const place = testFrame ? { file: resolve(testFrame.rawPath), line: testFrame.line } : firstInside(frames, resolve, looksLikeTestFile);
      const test = titles.join(' ').replace(/:$/, '');
      return { order, test, file: place?.file, line: place?.line, message: formatMessage(messageLines), related: relatedFiles(frames, place?.file, resolve), runner: 'mocha' };
    });
  }
  return result;
};
