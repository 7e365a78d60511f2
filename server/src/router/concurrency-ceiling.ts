// How many requests a model may have in flight at once, from the config: the smallest `max_concurrency`
// among the aliases that name it; else one, when it is a member of any `pool` (a pool spreads parallel
// workers over hosts that each serve one request well at a time); else no limit. Pure.
import { resolveModelReference } from '../config/references';
import type { ElectrictownConfig } from '../config/schema';

/** The model's identity across aliases: two aliases of one model share its limit. */
function modelKey(provider: string, modelId: string): string {
  return `${provider}\u0000${modelId}`;
}

export function concurrencyCeilings(config: ElectrictownConfig): (provider: string, modelId: string) => number {
  const configured = new Map<string, number>();
  for (const model of Object.values(config.models ?? {})) {
    if (model.max_concurrency === undefined) continue;
    const key = modelKey(model.provider, model.model);
    configured.set(key, Math.min(configured.get(key) ?? Number.POSITIVE_INFINITY, model.max_concurrency));
  }
  const pooled = new Set<string>();
  const pools = [...Object.values(config.roles ?? {}), ...Object.values(config.specialists ?? {})].flatMap((owner) => owner.pool ?? []);
  for (const reference of pools) {
    const resolved = resolveModelReference(config, reference);
    if (resolved?.provider !== undefined && resolved.modelId !== undefined) pooled.add(modelKey(resolved.provider, resolved.modelId));
  }
  return (provider, modelId) => {
    const key = modelKey(provider, modelId);
    return configured.get(key) ?? (pooled.has(key) ? 1 : Number.POSITIVE_INFINITY);
  };
}
