// Keys written into the file instead of read from `$VAR`: in `api_key`, in a header value, or in a
// `base_url` (as its password, `https://user:key@host`, or a query parameter, `?key=…`). Pure; a
// message names where the key is, never the key.
import { findEnvReferences } from '../env';
import type { PathIssue } from '../issues';
import type { RawMap } from '../references';

const ADVICE = 'use $SOME_ENV_VAR so the key stays out of version control';

/** Long, space-free strings written literally are probably real keys. */
export function looksLikeLiteralSecret(value: string): boolean {
  return value.length >= 16 && !/\s/.test(value) && !readsEnvironment(value);
}

function readsEnvironment(value: string): boolean {
  return findEnvReferences(value).length > 0;
}

// Headers that carry credentials by name, and the scheme word that may open their value.
const CREDENTIAL_HEADER = /^(?:authorization|proxy-authorization|cookie)$|api[-_]?key|token|secret|password|credential|signature|auth/i;
const AUTH_SCHEME = /^(?:bearer|basic|token|bot|apikey|key)\s+/i;
// Prefixes of well-known providers' keys: a value opening with one is a key whatever its header is called.
const KEY_PREFIX = /^(?:sk-|sk_|AIza|gsk_|xai-|hf_|ghp_|github_pat_|glpat-)/;

function checkHeaders(provider: string, headers: RawMap): PathIssue[] {
  return Object.entries(headers).flatMap(([header, value]): PathIssue[] => {
    if (typeof value !== 'string') return [];
    const credential = value.trim().replace(AUTH_SCHEME, '');
    if (!looksLikeLiteralSecret(credential) || !(CREDENTIAL_HEADER.test(header) || KEY_PREFIX.test(credential))) return [];
    return [
      {
        severity: 'warning',
        code: 'inline-secret',
        message: `providers.${provider}.headers has a key written into the file (header ${header}): ${ADVICE}`,
        path: ['providers', provider, 'headers', header],
        target: 'value',
      },
    ];
  });
}

// Query parameters that carry keys (Gemini's `?key=`, `api_key=`, signed URLs' `sig=` …).
const SECRET_PARAMETER = /^(?:key|api[-_]?key|apikey|token|access[-_]?token|auth|secret|password|sig|signature)$/i;

/** The literal credentials in a URL as written: its password (or a long user name), and secret query values. */
export function urlCredentials(url: string): { where: string; text: string }[] {
  const found: { where: string; text: string }[] = [];
  const userInfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]*)@/i.exec(url)?.[1];
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    const password = colon === -1 ? '' : userInfo.slice(colon + 1);
    const user = colon === -1 ? userInfo : userInfo.slice(0, colon);
    if (password !== '' && !readsEnvironment(password)) found.push({ where: "the URL's password", text: password });
    else if (password === '' && looksLikeLiteralSecret(user)) found.push({ where: "the URL's user name", text: user });
  }
  const query = /\?([^#]*)/.exec(url)?.[1] ?? '';
  for (const parameter of query.split('&')) {
    const equals = parameter.indexOf('=');
    if (equals === -1) continue;
    const name = parameter.slice(0, equals);
    const value = parameter.slice(equals + 1);
    if (SECRET_PARAMETER.test(name) && value !== '' && !readsEnvironment(value)) found.push({ where: `its ${name}= parameter`, text: value });
  }
  return found;
}

function checkBaseUrl(provider: string, baseUrl: string): PathIssue[] {
  return urlCredentials(baseUrl).map((credential) => ({
    severity: 'warning',
    code: 'inline-secret',
    message: `providers.${provider}.base_url has a key written into it (${credential.where}): ${ADVICE}`,
    path: ['providers', provider, 'base_url'],
    target: 'value',
    within: credential.text,
  }));
}

/** Keys written into a provider's `api_key`, `headers` or `base_url`. */
export function checkInlineSecrets(name: string, provider: RawMap): PathIssue[] {
  const issues: PathIssue[] = [];
  const apiKey = provider.api_key;
  if (typeof apiKey === 'string' && provider.auth_type !== 'none' && looksLikeLiteralSecret(apiKey)) {
    issues.push({ severity: 'warning', code: 'inline-secret', message: `providers.${name}.api_key is written into the file: ${ADVICE}`, path: ['providers', name, 'api_key'], target: 'value' });
  }
  const headers = provider.headers;
  if (headers !== null && typeof headers === 'object' && !Array.isArray(headers)) issues.push(...checkHeaders(name, headers as RawMap));
  if (typeof provider.base_url === 'string') issues.push(...checkBaseUrl(name, provider.base_url));
  return issues;
}
