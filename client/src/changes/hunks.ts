// The hunks between a file in the project and a run's proposal of it, line by line, so the diff editor
// can accept one hunk (the project file takes the proposal's lines there) or discard it (the proposal
// takes the project file's lines there). Pure.
import { diffLines } from 'diff';

/** One place where the proposal differs: lines [start, end) of each side, 0-based, with their text. */
export interface Hunk {
  currentStart: number;
  currentEnd: number;
  proposedStart: number;
  proposedEnd: number;
  /** The project file's lines there, each with its line break (if it has one). */
  currentLines: string[];
  proposedLines: string[];
}

const splitLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** The hunks that turn `current` into `proposed`, in order. Line endings count as they are. */
export function hunksBetween(current: string, proposed: string): Hunk[] {
  const hunks: Hunk[] = [];
  let currentLine = 0;
  let proposedLine = 0;
  let open: Hunk | undefined;
  for (const change of diffLines(current, proposed)) {
    const lines = splitLines(change.value);
    if (change.added || change.removed) {
      open ??= { currentStart: currentLine, currentEnd: currentLine, proposedStart: proposedLine, proposedEnd: proposedLine, currentLines: [], proposedLines: [] };
      if (change.added) {
        open.proposedLines.push(...lines);
        open.proposedEnd = proposedLine += lines.length;
      } else {
        open.currentLines.push(...lines);
        open.currentEnd = currentLine += lines.length;
      }
      continue;
    }
    if (open) hunks.push(open);
    open = undefined;
    currentLine += lines.length;
    proposedLine += lines.length;
  }
  if (open) hunks.push(open);
  return hunks;
}

const replaceLines = (text: string, start: number, end: number, lines: readonly string[]): string => {
  const all = splitLines(text);
  all.splice(start, end - start, ...lines);
  return all.join('');
};

/** The project file with the hunk accepted: the proposal's lines in place of its own. */
export const acceptHunk = (current: string, hunk: Hunk): string => replaceLines(current, hunk.currentStart, hunk.currentEnd, hunk.proposedLines);

/** The proposal with the hunk discarded: the project file's lines in place of the proposed ones. */
export const discardHunk = (proposed: string, hunk: Hunk): string => replaceLines(proposed, hunk.proposedStart, hunk.proposedEnd, hunk.currentLines);

/**
 * The hunk at a line (0-based) of one side, or the nearest one after it, or the last one: the hunk a
 * cursor in the diff means. A line inside a hunk, or right where a pure insertion/deletion sits, is that hunk.
 */
export function hunkAt(hunks: readonly Hunk[], line: number, side: 'current' | 'proposed'): Hunk | undefined {
  const range = (hunk: Hunk) => (side === 'current' ? [hunk.currentStart, hunk.currentEnd] : [hunk.proposedStart, hunk.proposedEnd]);
  const inside = hunks.find((hunk) => {
    const [start, end] = range(hunk);
    return start === end ? line === start || line === start - 1 : line >= start && line < end;
  });
  return inside ?? hunks.find((hunk) => range(hunk)[0] > line) ?? hunks.at(-1);
}
