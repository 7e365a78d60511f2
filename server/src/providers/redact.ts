// Removes secrets from text that may reach a message, a log or a ledger: the configured keys
// themselves, and anything shaped like a key that a provider echoes back (masked or not).

export const REDACTED = '[redacted]';

const KEY_SHAPES: readonly [RegExp, string][] = [
  [/\bsk-[A-Za-z0-9_*.-]{6,}/g, REDACTED], // OpenAI / Anthropic style, including OpenAI's masked echo
  [/\bAIza[0-9A-Za-z_-]{10,}/g, REDACTED], // Google API keys
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/([?&](?:key|api_key|apikey|token)=)[^&\s"']+/gi, `$1${REDACTED}`],
];

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  // Longest first, so a key that contains another is removed whole.
  for (const secret of [...secrets].filter((value) => value.length >= 4).sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(REDACTED);
  }
  for (const [shape, replacement] of KEY_SHAPES) result = result.replace(shape, replacement);
  return result;
}
