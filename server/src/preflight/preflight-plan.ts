// What a pre-flight check has to ask: each built-in role's first model, its provider, the variables that
// provider reads and which of them are unset (found without a call), and the distinct endpoints worth
// asking (those whose variables are all set). Pure: config and environment in, plan out.
import { createHash } from 'node:crypto';
import { findEnvReferences, lookupEnv, resolveEnv, type Environment } from '../config/env';
import { ownEntry } from '../config/references';
import { BUILT_IN_ROLES, type ElectrictownConfig, type ProviderConfig, type ProviderType } from '../config/schema';
import { DEFAULT_BASE_URLS } from '../providers/create-model';
import { redactSecrets, urlCredentials } from '../providers/redact';
import { ChainError, chainForRole } from '../router/chain';
import { endpointPlace } from '../router/endpoint-key';

/** One endpoint to ask, named by a provider that uses it. */
export interface PlannedEndpoint {
  /** Type, place and a fingerprint of the credentials: two providers with the same of all three are asked once. */
  id: string;
  provider: string;
  type: ProviderType;
  /** Scheme, host and path, without credentials. */
  label: string;
}

export interface PlannedRole {
  role: string;
  /** The first model as written, or undefined with `problem` when the role has none. */
  model: string | undefined;
  provider: string | undefined;
  providerType: ProviderType | undefined;
  modelId: string | undefined;
  endpoint: PlannedEndpoint | undefined;
  key: 'set' | 'unset' | 'none';
  unsetVariables: string[];
  /** Why the role has no model to check (from the chain's own error). */
  problem: string | undefined;
}

export interface PreflightPlan {
  roles: PlannedRole[];
  /** The endpoints to ask: those of roles whose variables are all set, each once. */
  endpoints: PlannedEndpoint[];
}

/** The variables a provider's key, URL and headers read that are unset or empty. */
function unsetVariablesOf(provider: ProviderConfig, environment: Environment): string[] {
  const values = [provider.api_key, provider.base_url, ...Object.values(provider.headers ?? {})].filter((value): value is string => value !== undefined);
  const names = values.flatMap((value) => findEnvReferences(value).map((reference) => reference.name));
  return [...new Set(names.filter((name) => !lookupEnv(environment, name)))];
}

function keyState(provider: ProviderConfig, environment: Environment): PlannedRole['key'] {
  if (provider.api_key === undefined) return 'none';
  return resolveEnv(provider.api_key, environment).unset.length > 0 ? 'unset' : 'set';
}

/** Where an endpoint is, as messages show it: scheme, host and path, any credential redacted. */
export function endpointLabel(baseUrl: string, secrets: readonly string[]): string {
  return redactSecrets(endpointPlace(baseUrl), secrets);
}

function plannedEndpoint(name: string, provider: ProviderConfig, environment: Environment): PlannedEndpoint | undefined {
  const resolve = (value: string | undefined) => (value === undefined ? undefined : resolveEnv(value, environment).value);
  const baseUrl = resolve(provider.base_url) ?? DEFAULT_BASE_URLS[provider.type];
  if (baseUrl === undefined) return undefined;
  const key = resolve(provider.api_key) ?? '';
  const headers = Object.entries(provider.headers ?? {}).map(([header, value]) => [header, resolve(value) ?? '']);
  const secrets = [key, ...headers.map(([, value]) => value), ...urlCredentials(baseUrl)].filter((secret) => secret.length >= 4);
  // Only a digest of the credentials: the id is a cache key and must never hold one.
  const fingerprint = createHash('sha256').update(JSON.stringify([baseUrl.replace(/\/+$/, ''), key, headers, provider.auth_type ?? ''])).digest('hex').slice(0, 16);
  return { id: `${provider.type} ${endpointLabel(baseUrl, secrets)} ${fingerprint}`, provider: name, type: provider.type, label: endpointLabel(baseUrl, secrets) };
}

function planRole(config: ElectrictownConfig, environment: Environment, role: string): PlannedRole {
  const none = { model: undefined, provider: undefined, providerType: undefined, modelId: undefined, endpoint: undefined, key: 'none' as const, unsetVariables: [] };
  let first;
  try {
    const chain = chainForRole(config, role);
    first = chain.entries[0] ?? chain.pool[0];
  } catch (error) {
    if (!(error instanceof ChainError)) throw error;
    return { role, ...none, problem: error.message };
  }
  if (first === undefined) return { role, ...none, problem: `role ${role} has no model: set roles.${role}.model or defaults.model` };
  const provider = ownEntry(config.providers, first.provider);
  if (!provider) return { role, ...none, model: first.reference, problem: `"${first.reference}" names provider "${first.provider}", which is not in providers` };
  return {
    role,
    model: first.reference,
    provider: first.provider,
    providerType: provider.type,
    modelId: first.modelId,
    endpoint: plannedEndpoint(first.provider, provider, environment),
    key: keyState(provider, environment),
    unsetVariables: unsetVariablesOf(provider, environment),
    problem: undefined,
  };
}

/** The built-in roles' first models and the endpoints to ask about them. */
export function planPreflight(config: ElectrictownConfig, environment: Environment): PreflightPlan {
  const roles = BUILT_IN_ROLES.map((role) => planRole(config, environment, role));
  const endpoints = new Map<string, PlannedEndpoint>();
  for (const role of roles) {
    if (role.endpoint && role.unsetVariables.length === 0 && !endpoints.has(role.endpoint.id)) endpoints.set(role.endpoint.id, role.endpoint);
  }
  return { roles, endpoints: [...endpoints.values()] };
}
