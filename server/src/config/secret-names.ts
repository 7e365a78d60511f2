// The environment variables a config reads secrets from, so that code electrictown runs (a build) is
// not handed them even when their names do not look secret (`$MY_LLM`).
import { findEnvReferences } from './env';
import type { ElectrictownConfig } from './schema';

/** The names referenced by the providers' `api_key` and header values, without repeats. Pure. */
export function secretEnvNames(config: Pick<ElectrictownConfig, 'providers'>): string[] {
  const values = Object.values(config.providers).flatMap((provider) => [provider.api_key ?? '', ...Object.values(provider.headers ?? {})]);
  return [...new Set(values.flatMap((value) => findEnvReferences(value).map((reference) => reference.name)))];
}
