// What the JavaScript runners share once a failure's frames are read: the test's file and line, and the
// other project files in the trace.
import { relatedFiles, type RawLocation } from '../locations';
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
