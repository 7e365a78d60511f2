// What the JavaScript runners share once a failure's frames are read: the test's file and line, and the
// other project files in the trace.
import { addMessageLine } from '../failure-message';
import { MAX_PLACES, readJsFrame, relatedFiles, type RawLocation } from '../locations';
import type { FileLine, ResolvePath } from '../test-failure';

/**
 * The failure's place in `testFile` (the first frame there: the assertion or call that failed, else no
 * line) and the other project files its frames pass through.
 */
export function placeInTestFile(testFile: string | undefined, frames: readonly RawLocation[], resolve: ResolvePath): { file: string | undefined; line: number | undefined; related: FileLine[] } {
  const line = testFile === undefined ? undefined : frames.find((frame) => resolve(frame.rawPath) === testFile)?.line;
  return { file: testFile, line, related: relatedFiles(frames, testFile, resolve) };
}

/**
 * A numbered line of a code frame, as jest (`    > 14 |     code`) and vitest (`     15|     code`) print them;
 * a frame starts with one, so this is where a message ends.
 */
export function isCodeFrameLine(line: string): boolean {
  return /^\s*(?:>\s*)?\d+ ?\|/.test(line);
}

/**
 * A failure's body after its header, while `continues(nextLine)`: the message, up to where the stack or
 * a code frame starts, and the stack's frames (`frame` captures a frame's location). Returns the index
 * of the body's last line.
 */
export function readFailureBody(lines: readonly string[], index: number, continues: (line: string) => boolean, frame: RegExp): { index: number; messageLines: string[]; frames: RawLocation[] } {
  const messageLines: string[] = [];
  const frames: RawLocation[] = [];
  let inMessage = true;
  while (index + 1 < lines.length && continues(lines[index + 1])) {
    const next = lines[++index];
    const found = frame.exec(next);
    if (found || isCodeFrameLine(next)) inMessage = false;
    const place = found && readJsFrame(found[1]);
    if (place) {
      if (frames.length < MAX_PLACES) frames.push(place);
    } else if (inMessage) addMessageLine(messageLines, next);
  }
  return { index, messageLines, frames };
}
