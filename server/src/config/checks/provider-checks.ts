// Checks on `providers`: at least one, authentication that can work, URLs that parse and follow the
// base-URL convention of each wire protocol, and environment variables that are set.
// Messages never contain the value of an api_key or a header.
import { findEnvReferences, lookupEnv, resolveEnv, type Environment } from '../env';
import type { PathIssue } from '../issues';
import { asMap, asString, sectionEntries, type RawMap } from '../references';

/** Long, space-free strings written literally are probably real keys. */
function looksLikeLiteralSecret(value: string): boolean {
  return value.length >= 16 && !/\s/.test(value) && findEnvReferences(value).length === 0;
}

function checkEnvReferences(path: (string | number)[], value: string, provider: string, environment: Environment): PathIssue[] {
  return findEnvReferences(value)
    .filter((reference) => !lookupEnv(environment, reference.name))
    .map((reference) => ({
      severity: 'warning',
      code: 'unset-env-var',
      message: `environment variable ${reference.name} is not set: provider "${provider}" cannot be used until it is`,
      path,
      target: 'value',
      within: reference.text,
    }));
}

function checkAuthentication(name: string, provider: RawMap, environment: Environment): PathIssue[] {
  const authType = asString(provider.auth_type);
  const rawKey = asString(provider.api_key);
  const issues: PathIssue[] = [];
  if (rawKey !== undefined && authType !== 'none' && looksLikeLiteralSecret(rawKey)) {
    issues.push({
      severity: 'warning',
      code: 'inline-secret',
      message: `providers.${name}.api_key is written into the file: use $SOME_ENV_VAR so the key stays out of version control`,
      path: ['providers', name, 'api_key'],
      target: 'value',
    });
  }
  if (authType !== 'bearer' && authType !== 'basic') return issues;
  const key = rawKey === undefined ? undefined : resolveEnv(rawKey, environment);
  if (key === undefined || (key.value === '' && key.unset.length === 0)) {
    issues.push({
      severity: 'error',
      code: 'auth-missing-key',
      message: `providers.${name} has auth_type ${authType} but no api_key`,
      path: ['providers', name, rawKey === undefined ? 'auth_type' : 'api_key'],
      target: 'value',
    });
  } else if (authType === 'basic' && key.unset.length === 0 && !/^[^:]+:.+$/s.test(key.value)) {
    issues.push({
      severity: 'error',
      code: 'auth-basic-format',
      message: `providers.${name}.api_key must be user:pass for auth_type basic`,
      path: ['providers', name, 'api_key'],
      target: 'value',
    });
  }
  return issues;
}

// The matched suffix is one of these literals, so quoting it never shows a secret.
const BASE_PATH_RULES = new Map<string, { wrong: RegExp; advice: string }>([
  ['anthropic', { wrong: /\/v1(?=\/?$)/, advice: 'an anthropic base_url is the host: /v1/messages is added to it' }],
  ['ollama', { wrong: /\/(?:api|v1)(?=\/?$)/, advice: 'an ollama base_url is the host root: /api/chat is added to it' }],
]);

function checkBaseUrl(name: string, provider: RawMap, environment: Environment): PathIssue[] {
  const raw = asString(provider.base_url);
  if (raw === undefined && asString(provider.type) === 'openai-compatible') {
    return [
      {
        severity: 'error',
        code: 'missing-base-url',
        message: `providers.${name} has type openai-compatible but no base_url: give the server's URL ending in /v1 (vLLM http://localhost:8000/v1, LM Studio http://localhost:1234/v1, Ollama http://localhost:11434/v1, OpenRouter https://openrouter.ai/api/v1, Groq https://api.groq.com/openai/v1)`,
        path: ['providers', name, 'type'],
        target: 'value',
      },
    ];
  }
  if (raw === undefined) return [];
  const path = ['providers', name, 'base_url'];
  const resolved = resolveEnv(raw, environment);
  if (resolved.unset.length > 0) return [];
  const url = parseUrl(resolved.value);
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    // Quote only what is written in the file, and only when it carries no credentials or variables.
    const quotable = findEnvReferences(raw).length === 0 && !/[@?#]/.test(raw);
    return [{ severity: 'error', code: 'invalid-url', message: `providers.${name}.base_url is not an http(s) URL${quotable ? `: "${raw}"` : ''}`, path, target: 'value' }];
  }
  const rule = BASE_PATH_RULES.get(asString(provider.type) ?? '');
  const suffix = rule?.wrong.exec(url.pathname)?.[0];
  if (rule && suffix) {
    return [{ severity: 'warning', code: 'base-url-path', message: `providers.${name}.base_url ends in ${suffix}: ${rule.advice}`, path, target: 'value' }];
  }
  return [];
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function checkProviders(raw: unknown, environment: Environment): PathIssue[] {
  const section = asMap(raw)?.providers;
  const providers = sectionEntries(raw, 'providers');
  if (asMap(section) && providers.length === 0) {
    return [{ severity: 'error', code: 'no-providers', message: '`providers` is empty: add at least one provider', path: ['providers'], target: 'key' }];
  }
  return providers.flatMap(([name, provider]) => {
    if (!provider) return [];
    const envIssues = (['api_key', 'base_url'] as const).flatMap((field) => {
      const value = asString(provider[field]);
      return value === undefined ? [] : checkEnvReferences(['providers', name, field], value, name, environment);
    });
    const headerIssues = Object.entries(asMap(provider.headers) ?? {}).flatMap(([header, value]) =>
      typeof value === 'string' ? checkEnvReferences(['providers', name, 'headers', header], value, name, environment) : [],
    );
    return [...envIssues, ...headerIssues, ...checkAuthentication(name, provider, environment), ...checkBaseUrl(name, provider, environment)];
  });
}
