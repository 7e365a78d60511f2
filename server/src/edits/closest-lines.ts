// Where in a file a SEARCH that matched nothing was probably aimed: the window of as many lines that
// holds most of its lines. A SEARCH line found whole (ignoring surrounding whitespace) counts 1, divided
// by how often it occurs in the file, so `}` or `return nil` do not outweigh the lines that name
// something; a line sharing only some words with the SEARCH counts half its share. One pass over the
// file and a sliding sum, whatever the SEARCH's length. Only for the message to the model: nothing is
// ever applied here. Pure.

export interface Region {
  /** 0-based index of the region's first line. */
  start: number;
  count: number;
}

const WORD = /[\p{L}_$][\p{L}\p{N}_$]*|\p{N}+/gu;

export function closestRegion(lines: readonly string[], search: readonly string[]): Region | undefined {
  const wanted = new Set(search.map((line) => line.trim()).filter((text) => text !== ''));
  const count = Math.min(search.length, lines.length);
  if (wanted.size === 0 || count === 0) return undefined;
  const words = new Set(search.flatMap((line) => line.match(WORD) ?? []));
  const trimmed = lines.map((line) => line.trim());
  const occurrences = new Map<string, number>();
  for (const text of trimmed) if (wanted.has(text)) occurrences.set(text, (occurrences.get(text) ?? 0) + 1);
  const scores = trimmed.map((text) => {
    if (text === '') return 0;
    const whole = occurrences.get(text);
    if (whole !== undefined) return 1 / whole;
    const lineWords = text.match(WORD);
    if (!lineWords) return 0;
    return (0.5 * lineWords.filter((word) => words.has(word)).length) / lineWords.length;
  });
  let sum = 0;
  for (let index = 0; index < count; index++) sum += scores[index];
  let best = { start: 0, score: sum };
  for (let start = 1; start + count <= lines.length; start++) {
    sum += scores[start + count - 1] - scores[start - 1];
    if (sum > best.score + 1e-9) best = { start, score: sum };
  }
  return best.score > 1e-9 ? { start: best.start, count } : undefined;
}

/** The SEARCH lines that occur nowhere in the file, even ignoring surrounding whitespace. */
export function missingLines(lines: readonly string[], search: readonly string[]): string[] {
  const present = new Set(lines.map((line) => line.trim()));
  return search.filter((line) => line.trim() !== '' && !present.has(line.trim()));
}
