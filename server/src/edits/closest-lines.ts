// Where in a file a SEARCH that matched nothing was probably aimed, for the message to the model
// (nothing is ever applied here): the window of as many lines that holds most of the SEARCH's lines. A
// SEARCH line found whole (ignoring surrounding whitespace) counts 1, divided by how often it occurs in
// the file, so `}` or `return nil` do not outweigh the lines that name something; a line sharing only
// some words with the SEARCH counts half its share of them (looked at only when the best window holds
// fewer than half the SEARCH's lines whole). A pass or two over the file with a sliding sum, whatever
// the SEARCH's length. Pure.

export interface Region {
  /** 0-based index of the region's first line. */
  start: number;
  count: number;
}

export interface NearMiss {
  /** The closest region, if any line of the file shares anything with the SEARCH. */
  region: Region | undefined;
  /** The SEARCH lines that occur nowhere in the file, even ignoring surrounding whitespace. */
  missing: string[];
}

// ASCII words are enough to point at a region.
const WORD = /[A-Za-z_$][\w$]*|\d+/g;

export function nearMiss(lines: readonly string[], search: readonly string[]): NearMiss {
  const wanted = new Map<string, number>();
  for (const line of search) if (line.trim() !== '') wanted.set(line.trim(), 0);
  const words = new Set(search.flatMap((line) => line.match(WORD) ?? []));
  const trimmed = lines.map((line) => line.trim());
  for (const text of trimmed) {
    const seen = wanted.get(text);
    if (seen !== undefined) wanted.set(text, seen + 1);
  }
  const missing = search.filter((line) => wanted.get(line.trim()) === 0);
  const count = Math.min(search.length, lines.length);
  if (wanted.size === 0 || count === 0) return { region: undefined, missing };
  const whole = trimmed.map((text) => {
    const seen = wanted.get(text);
    return seen ? 1 / seen : 0;
  });
  const byWholeLines = bestWindow(whole, count);
  // Words are the slow part (a regex over the whole file): only when whole lines point nowhere clear.
  const found = whole.slice(byWholeLines.start, byWholeLines.start + count).filter((score) => score > 0).length;
  if (found * 2 >= wanted.size) return { region: { start: byWholeLines.start, count }, missing };
  const scores = whole.map((score, index) => (score > 0 || trimmed[index] === '' ? score : 0.5 * wordShare(trimmed[index], words)));
  const best = bestWindow(scores, count);
  return { region: best.score > 1e-9 ? { start: best.start, count } : undefined, missing };
}

/** The start of the window of `count` lines with the highest sum of scores, the first of equals. */
function bestWindow(scores: readonly number[], count: number): { start: number; score: number } {
  let sum = 0;
  for (let index = 0; index < count; index++) sum += scores[index];
  let best = { start: 0, score: sum };
  for (let start = 1; start + count <= scores.length; start++) {
    sum += scores[start + count - 1] - scores[start - 1];
    if (sum > best.score + 1e-9) best = { start, score: sum };
  }
  return best;
}

/** The share of a line's words that are words of the SEARCH. */
function wordShare(text: string, words: ReadonlySet<string>): number {
  let total = 0;
  let shared = 0;
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match !== null; match = WORD.exec(text)) {
    total++;
    if (words.has(match[0])) shared++;
  }
  return total === 0 ? 0 : shared / total;
}
