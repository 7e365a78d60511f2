// Which models a request may use, in order: a role's primary and fallbacks (a role without its own
// falls back to `defaults`), an alias alone, or a `provider/model` reference. Pure.
import { canonicalRoleName, ownEntry, resolveModelReference } from '../config/references';
import type { ElectrictownConfig, ProviderType } from '../config/schema';

/** One model of a chain, with everything an adapter needs to know about it. */
export interface ChainEntry {
  /** As written in the config: an alias or `provider/model`. */
  reference: string;
  alias: string | undefined;
  provider: string;
  providerType: ProviderType;
  modelId: string;
  contextWindow: number | undefined;
  maxTokens: number | undefined;
}

export interface Chain {
  /** What was asked for, for messages: `role mayor`, `alias fast`, `ollama/llama3.2`. */
  label: string;
  entries: ChainEntry[];
  /** Round-robin candidates for parallel workers (the role's `pool`), resolved the same way. */
  pool: ChainEntry[];
  maxTokens: number | undefined;
  temperature: number | undefined;
  systemPrompt: string | undefined;
}

export class ChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainError';
  }
}

function entryFor(config: ElectrictownConfig, reference: string): ChainEntry {
  const resolved = resolveModelReference(config, reference);
  if (!resolved) throw new ChainError(`"${reference}" is neither a model alias nor a provider/model reference`);
  const providerType = (provider: string) => {
    const type = config.providers[provider]?.type;
    if (!type) throw new ChainError(`"${reference}" names provider "${provider}", which is not in providers`);
    return type;
  };
  if (resolved.kind === 'direct') {
    return { reference, alias: undefined, provider: resolved.provider, providerType: providerType(resolved.provider), modelId: resolved.modelId, contextWindow: undefined, maxTokens: undefined };
  }
  const model = config.models?.[resolved.alias];
  if (!model) throw new ChainError(`model alias "${reference}" is not defined`);
  return { reference, alias: resolved.alias, provider: model.provider, providerType: providerType(model.provider), modelId: model.model, contextWindow: model.context_window, maxTokens: model.max_tokens };
}

/** Entries without repeats: a fallback equal to one already in the chain adds nothing. */
function unique(references: readonly string[]): string[] {
  return [...new Set(references)];
}

function roleEntry(config: ElectrictownConfig, role: string) {
  const roles = config.roles ?? {};
  // A role may be configured under electrictown's name for it (`reviewer` for `witness`).
  const name = Object.keys(roles).find((key) => key === role) ?? Object.keys(roles).find((key) => canonicalRoleName(key) === canonicalRoleName(role));
  return name === undefined ? undefined : roles[name];
}

/** A role's chain; a role that is not configured, or has no model, uses `defaults`. */
export function chainForRole(config: ElectrictownConfig, role: string): Chain {
  const own = roleEntry(config, role);
  const defaults = config.defaults ?? {};
  const primary = own?.model ?? defaults.model;
  const pool = (own?.pool ?? []).map((reference) => entryFor(config, reference));
  if (primary === undefined && pool.length === 0) {
    throw new ChainError(`role ${role} has no model: set roles.${role}.model or defaults.model`);
  }
  const references = primary === undefined ? [] : unique([primary, ...(own?.fallbacks ?? defaults.fallbacks ?? [])]);
  return {
    label: `role ${role}`,
    entries: references.map((reference) => entryFor(config, reference)),
    pool,
    maxTokens: own?.max_tokens ?? defaults.max_tokens,
    temperature: own?.temperature ?? defaults.temperature,
    systemPrompt: own?.system_prompt,
  };
}

/** A single alias or `provider/model`, with the defaults' settings and no fallbacks. */
export function chainForModel(config: ElectrictownConfig, reference: string): Chain {
  const entry = entryFor(config, reference);
  return { label: entry.alias ? `alias ${reference}` : reference, entries: [entry], pool: [], maxTokens: config.defaults?.max_tokens, temperature: config.defaults?.temperature, systemPrompt: undefined };
}

/**
 * The output cap for one entry: what the role (or the defaults) asks for, never above the model's own
 * `max_tokens`, which is its upper bound; the model's when nothing asks.
 */
export function maxTokensFor(chain: Chain, entry: ChainEntry): number | undefined {
  if (chain.maxTokens === undefined) return entry.maxTokens;
  return entry.maxTokens === undefined ? chain.maxTokens : Math.min(chain.maxTokens, entry.maxTokens);
}

/**
 * The chain one parallel worker uses: pool member `slot` (round-robin) first, then the role's own
 * model and fallbacks, then the other pool members, so a rate-limited member hands over to a sibling.
 * A chain without a pool is returned as it is.
 */
export function chainForPoolSlot(chain: Chain, slot: number): Chain {
  const { pool } = chain;
  if (pool.length === 0) return chain;
  const first = slot % pool.length;
  const rotated = [...pool.slice(first), ...pool.slice(0, first)];
  return { ...chain, entries: distinctModels([rotated[0], ...chain.entries, ...rotated.slice(1)]) };
}

/** The entries in order, each model once: a second alias of the same model adds nothing. */
function distinctModels(entries: readonly ChainEntry[]): ChainEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = `${entry.provider}/${entry.modelId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Two entries that reach the same model on the same provider, whatever their aliases. */
export function sameModel(a: ChainEntry, b: ChainEntry): boolean {
  return a.provider === b.provider && a.modelId === b.modelId;
}

/**
 * A specialist's chain: its own model, pool and fallbacks, the polecat role's for what it leaves out,
 * and the polecat role's output settings, since a specialist is a polecat with a narrower job.
 */
export function chainForSpecialist(config: ElectrictownConfig, name: string): Chain {
  // The name comes from the mayor's answer: `[specialist: constructor]` must not find Object's.
  const specialist = ownEntry(config.specialists, name);
  if (!specialist) throw new ChainError(`there is no specialist "${name}"`);
  const polecat = chainForRole(config, 'polecat');
  if (specialist.model === undefined && specialist.pool === undefined) return { ...polecat, label: `specialist ${name}` };
  const primary = specialist.model === undefined ? [] : [entryFor(config, specialist.model)];
  const fallbacks = specialist.fallbacks === undefined ? polecat.entries : specialist.fallbacks.map((reference) => entryFor(config, reference));
  return { ...polecat, label: `specialist ${name}`, entries: distinctModels([...primary, ...fallbacks]), pool: (specialist.pool ?? []).map((reference) => entryFor(config, reference)) };
}

/** The chain with `entry` first: a revision goes back to the model that wrote the answer. */
export function preferEntry(chain: Chain, entry: ChainEntry): Chain {
  return { ...chain, entries: [entry, ...chain.entries.filter((other) => !sameModel(other, entry))] };
}
