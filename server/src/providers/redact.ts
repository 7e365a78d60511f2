// Removes secrets from text that may reach a message, a log or a ledger: the configured credentials
// themselves — keys, header values, the user and password or query parameters of a base URL — whole or
// URL-encoded, and anything shaped like a key that a provider echoes back, masked or not
// (`sk-abc***xyz`, `gsk_****1234`, `AIza…`).

export const REDACTED = '[redacted]';

// Each with what the text must hold for it to match at all: the two slow scans (a masked key, a URL's
// userinfo) are skipped on the long answers that hold neither (a 80 KB answer: ~3 ms saved).
const KEY_SHAPES: readonly [RegExp, string, ((text: string) => boolean)?][] = [
  [/\bsk-[A-Za-z0-9_*.-]{6,}/g, REDACTED], // OpenAI / Anthropic style, including OpenAI's masked echo
  [/\bAIza[0-9A-Za-z_-]{10,}/g, REDACTED], // Google API keys
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/([?&](?:key|api_key|apikey|api-key|token|access_token|secret)=)[^&\s"']+/gi, `$1${REDACTED}`],
  // A key a provider shows partly masked: a few characters, three or more asterisks, maybe a few more.
  [/[A-Za-z0-9_-]*\*{3,}[A-Za-z0-9_-]*/g, REDACTED, (text) => text.includes('***')],
  // userinfo in a URL: https://user:secret@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@"']+:[^/\s@"']+@/gi, `$1${REDACTED}@`, (text) => text.includes('://') && text.includes('@')],
];

/** The credentials a base URL carries: its user and password, and its query parameters' values. */
export function urlCredentials(baseUrl: string | undefined): string[] {
  if (baseUrl === undefined) return [];
  try {
    const url = new URL(baseUrl);
    const decode = (value: string) => {
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    };
    return [decode(url.username), decode(url.password), ...[...url.searchParams.values()]].filter((value) => value.length >= 6);
  } catch {
    return [];
  }
}

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  // Longest first, so a key that contains another is removed whole.
  const forms = secrets.filter((value) => value.length >= 4).flatMap((value) => [value, encodeURIComponent(value)]);
  for (const secret of [...new Set(forms)].sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(REDACTED);
  }
  // A known key shown partly masked (`gsk_9Q...Yd3`, `sk-pro…wxyz`): its own first and last characters
  // around asterisks, dots or an ellipsis.
  for (const secret of secrets.filter((value) => value.length >= 12)) {
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    result = result.replace(new RegExp(`${escape(secret.slice(0, 3))}[\\w-]{0,12}(?:\\*+|\\.{2,}|…)[\\w-]{0,12}${escape(secret.slice(-2))}`, 'g'), REDACTED);
  }
  for (const [shape, replacement, mayMatch] of KEY_SHAPES) if (mayMatch?.(result) !== false) result = result.replace(shape, replacement);
  return result;
}
