// How long a provider asks us to wait (../shared/wire-formats.md §6.1), from its headers or, for Gemini,
// its error body. Zero, negative or unparseable values count as absent. Pure.

export type Headers = Readonly<Record<string, string | undefined>>;

function positive(value: number): number | undefined {
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** `retry-after`: whole (or fractional) seconds, or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return positive(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : positive(date - now);
}

/** A protobuf duration (`"43s"`, `"0.5s"`) or a Go duration (`"6m0s"`, `"1s"`, `"6ms"`, `"1h2m3.5s"`). */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };
  const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== value.trim()) return undefined;
  return positive(parts.reduce((total, [, amount, unit]) => total + Number(amount) * units[unit], 0));
}

/** OpenAI's `x-ratelimit-reset-*` for an exhausted limit; Anthropic's latest exhausted `…-reset` time. */
function rateLimitReset(headers: Headers, now: number): number | undefined {
  const delays: number[] = [];
  for (const kind of ['requests', 'tokens']) {
    if (headers[`x-ratelimit-remaining-${kind}`] === '0') {
      const delay = parseDuration(headers[`x-ratelimit-reset-${kind}`]);
      if (delay !== undefined) delays.push(delay);
    }
  }
  for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    if (headers[`anthropic-ratelimit-${kind}-remaining`] === '0') {
      const reset = Date.parse(headers[`anthropic-ratelimit-${kind}-reset`] ?? '');
      const delay = Number.isNaN(reset) ? undefined : positive(reset - now);
      if (delay !== undefined) delays.push(delay);
    }
  }
  return delays.length > 0 ? Math.max(...delays) : undefined;
}

/** Gemini's `google.rpc.RetryInfo` detail. */
function geminiRetryInfo(body: unknown): number | undefined {
  const details = (body as { error?: { details?: unknown } } | undefined)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  const retryInfo = details.find((detail) => typeof detail?.['@type'] === 'string' && detail['@type'].endsWith('google.rpc.RetryInfo'));
  return parseDuration(typeof retryInfo?.retryDelay === 'string' ? retryInfo.retryDelay : undefined);
}

/** The first delay present, in the order of §6.1; undefined means "use backoff". */
export function readRetryDelayMs(headers: Headers, body: unknown, now: number): number | undefined {
  const milliseconds = headers['retry-after-ms'];
  return (
    (milliseconds !== undefined ? positive(Number(milliseconds)) : undefined) ??
    parseRetryAfter(headers['retry-after'], now) ??
    geminiRetryInfo(body) ??
    rateLimitReset(headers, now)
  );
}
