// What the run view measures of itself when a benchmark asks (TranscriptPanels.measure): the time each
// message took in the webview (its handler plus the style and layout it caused), per message type, and
// when its first page was on screen. Summarised here, on the extension host, from the raw samples the
// view sends back on request; nothing is measured or sent in normal use.

/** The webview's raw samples, in ms of its own clock, per message type ('page', 'stream', 'ping'…). */
export type ViewSamples = Record<string, number[]>;

export interface TimingSummary {
  count: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  totalMs: number;
}

/** The nearest-rank percentile of sorted values (p in 0..100). */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summariseTimings(samples: readonly number[]): TimingSummary {
  if (samples.length === 0) return { count: 0, medianMs: 0, p95Ms: 0, maxMs: 0, totalMs: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { count: sorted.length, medianMs: median, p95Ms: percentile(sorted, 95), maxMs: sorted[sorted.length - 1], totalMs: sorted.reduce((sum, value) => sum + value, 0) };
}
