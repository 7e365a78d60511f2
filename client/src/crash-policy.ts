// When a server that died on its own is started again: unless it died this often lately, when a
// restart loop would only hide the problem and the user decides (Show Output, Retry).

export const CRASH_LIMIT = 3;
export const CRASH_WINDOW_MS = 3 * 60_000;

/** Whether a server that just died (at `now`, after the deaths in `earlier`) is started again. Pure. */
export function restartsAfterCrash(earlier: readonly number[], now: number): boolean {
  return earlier.filter((time) => now - time < CRASH_WINDOW_MS).length < CRASH_LIMIT;
}
