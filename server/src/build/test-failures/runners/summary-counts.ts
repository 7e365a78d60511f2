// Runners' closing tallies: `3 failed, 1 skipped, 2 passed, 6 total` (jest), `3 failed | 2 passed (6)`
// (vitest), `6 failed, 2 passed, 1 skipped in 0.04s` (pytest), `failures=2, errors=1` (unittest).

/** The number before `word` (or after `word=`) in a tally; 0 when the runner left that word out. */
export function countOf(summary: string, word: string): number {
  const match = new RegExp(`(\\d+) ${word}\\b|\\b${word}=(\\d+)`).exec(summary);
  return match ? Number(match[1] ?? match[2]) : 0;
}
