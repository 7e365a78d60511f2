// pytest's default output: `____ ItemsTest.test_count ____` sections under `=== FAILURES ===` / `=== ERRORS ===`,
// each a traceback of source excerpts with `E   ` lines (the error) and `path:L: ExceptionType` lines (a
// frame: the test's, then the code it called); then `FAILED path::Class::test - message` summary lines
// naming each test by node id, and `=== 6 failed, 2 passed in 0.04s ===`. A section and its summary line are
// matched by name (`ItemsTest.test_count` is `…::ItemsTest::test_count`), in order.
import { addMessageLine, formatMessage } from '../failure-message';
import { findLocations, firstInside, looksLikeTestFile, MAX_PLACES, relatedFiles, type RawLocation } from '../locations';
import { emptyResult, MAX_FAILURES_READ, type FoundFailure, type ResolvePath, type RunnerParser } from '../test-failure';
import { countOf } from './summary-counts';

const SECTIONS = /^={3,} (FAILURES|ERRORS) ={3,}$/;
const OTHER_BANNER = /^={3,} (.*) ={3,}$/;
// Banners are as wide as the terminal; a longer line is none.
const MAX_BANNER = 500;
const SECTION = /^_{3,} (.+?) _{3,}$/;
const FRAME = /^((?:[A-Za-z]:)?[^\s:][^:]*?):(\d+):(?: (.*))?$/;
const ERROR_LINE = /^E(?: |$)/;
const SHORT_SUMMARY = /^(FAILED|ERROR) (\S+)(?: - (.*))?$/;
// The closing banner, `=== 6 failed, 2 passed, 1 skipped in 0.04s ===`: a tally, then the time.
const TALLY_AND_TIME = /^(\d+ \w+.*) in [\d.]+s\b/;
const NO_TESTS = /^={3,} no tests ran in /;

interface Section {
  order: number;
  title: string;
  errorLines: string[];
  frames: RawLocation[];
}

export const parsePytest: RunnerParser = (lines, resolve) => {
  const result = emptyResult();
  const sections: Section[] = [];
  const summaries: { order: number; nodeId: string; message: string }[] = [];
  let inSections = false;
  let section: Section | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (SECTIONS.test(line)) {
      [inSections, section] = [true, undefined];
      continue;
    }
    const banner = line.length <= MAX_BANNER && OTHER_BANNER.exec(line);
    const tally = banner && TALLY_AND_TIME.exec(banner[1]);
    if (tally) {
      result.passed = countOf(tally[1], 'passed');
      result.failed = countOf(tally[1], 'failed') + countOf(tally[1], 'errors?');
      result.skipped = countOf(tally[1], 'skipped') + countOf(tally[1], 'xfailed');
    }
    if (NO_TESTS.test(line) || line === 'collected 0 items') result.noTests = true;
    if (OTHER_BANNER.test(line)) {
      [inSections, section] = [false, undefined];
      continue;
    }
    const summary = SHORT_SUMMARY.exec(line);
    if (summary && !inSections) {
      if (summaries.length < MAX_FAILURES_READ) summaries.push({ order: index, nodeId: summary[2], message: summary[3] ?? '' });
      else result.unread++;
      continue;
    }
    if (!inSections) continue;
    const title = SECTION.exec(line);
    if (title) {
      section = { order: index, title: title[1], errorLines: [], frames: [] };
      // Past the limit a section is read but not kept: its summary line is what gets counted.
      if (sections.length < MAX_FAILURES_READ) sections.push(section);
      continue;
    }
    if (!section) continue;
    if (ERROR_LINE.test(line)) {
      addMessageLine(section.errorLines, line.slice(1));
      continue;
    }
    if (section.frames.length >= MAX_PLACES) continue;
    const frame = FRAME.exec(line);
    if (frame) section.frames.push({ rawPath: frame[1], line: Number(frame[2]) });
    else if (section.frames.length === 0 && section.errorLines.length === 0) section.frames.push(...findLocations(line));
  }
  result.failures = matchSections(sections, summaries, resolve);
  return result;
};

function matchSections(sections: readonly Section[], summaries: readonly { order: number; nodeId: string; message: string }[], resolve: ResolvePath): FoundFailure[] {
  // Sections by title, each title's in output order, for the summary lines to take in turn.
  const byTitle = new Map<string, Section[]>();
  for (const section of sections) {
    const key = section.title.replace(/^ERROR (?:at (?:setup|teardown) of|collecting) /, '');
    const same = byTitle.get(key);
    if (same) same.push(section);
    else byTitle.set(key, [section]);
  }
  const failures: FoundFailure[] = [];
  const used = new Set<Section>();
  for (const summary of summaries) {
    const section = byTitle.get(sectionKeyOf(summary.nodeId))?.shift();
    if (section) used.add(section);
    const nodeFile = resolve(summary.nodeId.split('::')[0]);
    failures.push(toFailure(summary.nodeId, nodeFile, section, summary.message, summary.order, resolve));
  }
  for (const section of sections) if (!used.has(section)) failures.push(toFailure(section.title, undefined, section, '', section.order, resolve));
  return failures;
}

// `tests/test_items.py::ItemsTest::test_count` → `ItemsTest.test_count`, the section's title; a file's (a
// collection error) → the file, as in `ERROR collecting tests/test_items.py`.
function sectionKeyOf(nodeId: string): string {
  const parts = nodeId.split('::');
  return parts.length === 1 ? nodeId : parts.slice(1).join('.');
}

/** `nodeFile` is the test's file from its node id; without one, the first test-like file in the traceback. */
function toFailure(test: string, nodeFile: string | undefined, section: Section | undefined, summaryMessage: string, order: number, resolve: ResolvePath): FoundFailure {
  const frames = section?.frames ?? [];
  const place = nodeFile !== undefined ? { file: nodeFile, line: frames.find((frame) => resolve(frame.rawPath) === nodeFile)?.line } : firstInside(frames, resolve, looksLikeTestFile);
  const message = section && section.errorLines.length > 0 ? formatMessage(section.errorLines) : summaryMessage.trim();
  return { order: section?.order ?? order, test, file: place?.file, line: place?.line, message, related: relatedFiles(frames, place?.file, resolve), runner: 'pytest' };
}
