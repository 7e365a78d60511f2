// The environment variables a config reads secrets from, so that code electrictown runs (a build) is
// not handed them even when their names do not look secret (`$MY_LLM`).
import { findEnvReferences, lookupEnv, resolveEnv, type Environment } from './env';
import type { ElectrictownConfig } from './schema';

/** The names referenced by the providers' `api_key` and header values, without repeats. Pure. */
export function secretEnvNames(config: Pick<ElectrictownConfig, 'providers'>): string[] {
  const values = Object.values(config.providers).flatMap((provider) => [provider.api_key ?? '', ...Object.values(provider.headers ?? {})]);
  return [...new Set(values.flatMap((value) => findEnvReferences(value).map((reference) => reference.name)))];
}

/**
 * The secret values themselves, to keep out of what is written: the providers' keys and header values
 * (`$VAR`s resolved), and the variables a `base_url` reads (a gateway token in a path). Pure.
 */
export function secretValues(config: Pick<ElectrictownConfig, 'providers'>, environment: Environment): string[] {
  const providers = Object.values(config.providers);
  const whole = providers.flatMap((provider) => [provider.api_key ?? '', ...Object.values(provider.headers ?? {})]).map((value) => resolveEnv(value, environment).value);
  const inUrls = providers.flatMap((provider) => findEnvReferences(provider.base_url ?? '').map((reference) => lookupEnv(environment, reference.name) ?? ''));
  return [...new Set([...whole, ...inUrls].filter((value) => value !== ''))];
}
