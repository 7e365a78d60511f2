// Several runs proposed one file, each made from the same text (the file as it is now): when no two of
// their changes touch the same or neighbouring lines, all of them go in, in order, as one text. Otherwise
// the lines where they meet are named and the user picks a version. The same change made by two runs
// counts once. Pure.
import { diffLines } from 'diff';

/** Base lines [start, end) replaced by `lines` (each with its line break). 0-based. */
interface Hunk {
  start: number;
  end: number;
  lines: string[];
  /** Which version it comes from. */
  version: number;
}

export type MergeResult = { ok: true; text: string } | { ok: false; /** 1-based lines of the base where two versions' changes meet. */ lines: number[] };

const splitLines = (text: string): string[] => text.match(/[^\n]*\n|[^\n]+$/g) ?? [];

/** What a version changes in the base, as hunks. */
function hunksOf(base: string, version: string, index: number): Hunk[] {
  const hunks: Hunk[] = [];
  let line = 0;
  let open: Hunk | undefined;
  for (const change of diffLines(base, version)) {
    const lines = splitLines(change.value);
    if (change.added || change.removed) {
      open ??= { start: line, end: line, lines: [], version: index };
      if (change.added) open.lines.push(...lines);
      else open.end = line += lines.length;
      continue;
    }
    if (open) hunks.push(open);
    open = undefined;
    line += lines.length;
  }
  if (open) hunks.push(open);
  return hunks;
}

const same = (a: Hunk, b: Hunk) => a.start === b.start && a.end === b.end && a.lines.length === b.lines.length && a.lines.every((line, index) => line === b.lines[index]);
/** Overlapping or touching ranges (an insertion at either end counts): a merge there would be a guess. */
const meet = (a: Hunk, b: Hunk) => a.start <= b.end && b.start <= a.end;

export function mergeProposals(base: string, versions: readonly string[]): MergeResult {
  const hunks: Hunk[] = [];
  const meeting = new Set<number>();
  versions.forEach((version, index) => {
    for (const hunk of hunksOf(base, version, index)) {
      const clash = hunks.filter((known) => known.version !== index && meet(known, hunk));
      if (clash.some((known) => same(known, hunk))) continue;
      for (const known of clash) meeting.add(Math.min(known.start, hunk.start) + 1);
      hunks.push(hunk);
    }
  });
  if (meeting.size > 0) return { ok: false, lines: [...meeting].sort((a, b) => a - b) };
  const lines = splitLines(base);
  for (const hunk of [...hunks].sort((a, b) => b.start - a.start)) lines.splice(hunk.start, hunk.end - hunk.start, ...hunk.lines);
  return { ok: true, text: lines.join('') };
}
