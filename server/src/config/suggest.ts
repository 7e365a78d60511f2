// "Did you mean" for names: the closest candidate by edit distance, if it is close enough to be a typo.

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours
 * each cost 1, so `modle` is one edit from `model`. Three rows of the table are all it keeps.
 */
export function editDistance(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, beforePrevious[j - 2] + 1);
      current[j] = best;
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length];
}

/** Names longer than this are not typed by hand; comparing them would only cost time. */
const LONGEST_SUGGESTIBLE_NAME = 64;

function typoLimit(length: number): number {
  if (length <= 3) return 1;
  return length <= 6 ? 2 : 3;
}

/** The best candidate within a typo's distance of `name`, compared case-insensitively. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  if (name.length > LONGEST_SUGGESTIBLE_NAME) return undefined;
  const wanted = name.toLowerCase();
  const limit = typoLimit(wanted.length);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    if (candidate === name || Math.abs(candidate.length - wanted.length) > limit) continue;
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` — did you mean "x"?` or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closestName(name, candidates);
  return suggestion === undefined ? '' : ` — did you mean "${suggestion}"?`;
}

/** A name this close to a known one (`fallback` for `fallbacks`) is taken for a misspelling of it. */
const MAX_MISSPELLING_EDITS = 2;

/** The known name `name` is most likely a misspelling of, or undefined when it is not that close to any. */
export function misspeltName(name: string, candidates: Iterable<string>): string | undefined {
  const suggestion = closestName(name, candidates);
  if (suggestion === undefined) return undefined;
  return editDistance(name.toLowerCase(), suggestion.toLowerCase()) <= MAX_MISSPELLING_EDITS ? suggestion : undefined;
}
