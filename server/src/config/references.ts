// Where names are defined and used in a config value: providers, model aliases, roles, and every
// place a model is referenced. Works on the raw value so a config broken elsewhere still gets checks,
// completion and navigation. Pure.
import type { ConfigPath } from './schema-walk';
import { ROLE_ALIASES } from './schema';

export type RawMap = Readonly<Record<string, unknown>>;

export function asMap(value: unknown): RawMap | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as RawMap) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The value at a path of keys and list indexes, or undefined where the path leads nowhere. Own
 * entries only: a name like `toString` never finds what every object inherits.
 */
export function valueAtPath(value: unknown, path: ConfigPath): unknown {
  let current = value;
  for (const segment of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** A record's own entry for a name (from the config, a flag or a model's answer), never an inherited property. */
export function ownEntry<T>(record: Readonly<Record<string, T>> | undefined, name: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

export function sectionEntries(raw: unknown, section: string): [string, RawMap | undefined][] {
  const map = asMap(asMap(raw)?.[section]);
  return map ? Object.entries(map).map(([name, value]) => [name, asMap(value)]) : [];
}

export function providerNames(raw: unknown): string[] {
  return sectionEntries(raw, 'providers').map(([name]) => name);
}

export function modelAliases(raw: unknown): string[] {
  return sectionEntries(raw, 'models').map(([name]) => name);
}

export type ReferenceField = 'model' | 'fallbacks' | 'pool';

/** One place a model is named: `roles.mayor.fallbacks[1]`, `defaults.model`… */
export interface ModelReferenceSite {
  path: ConfigPath;
  name: string;
  /** `roles.mayor`, `defaults`, `specialists.go` — the thing whose chain this is part of. */
  ownerPath: ConfigPath;
  field: ReferenceField;
}

const REFERENCE_FIELDS: readonly ReferenceField[] = ['model', 'fallbacks', 'pool'];

function sitesIn(owner: RawMap | undefined, ownerPath: ConfigPath): ModelReferenceSite[] {
  if (!owner) return [];
  const sites: ModelReferenceSite[] = [];
  for (const field of REFERENCE_FIELDS) {
    const value = owner[field];
    if (field === 'model') {
      if (typeof value === 'string') sites.push({ path: [...ownerPath, field], name: value, ownerPath, field });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item === 'string') sites.push({ path: [...ownerPath, field, index], name: item, ownerPath, field });
      });
    }
  }
  return sites;
}

/** Every model reference, in section order. */
export function modelReferenceSites(raw: unknown): ModelReferenceSite[] {
  return [
    ...sectionEntries(raw, 'roles').flatMap(([name, role]) => sitesIn(role, ['roles', name])),
    ...sitesIn(asMap(asMap(raw)?.defaults), ['defaults']),
    ...sectionEntries(raw, 'specialists').flatMap(([name, specialist]) => sitesIn(specialist, ['specialists', name])),
  ];
}

export interface ProviderReferenceSite {
  path: ConfigPath;
  name: string;
  alias: string;
}

/** Every `models.<alias>.provider`. */
export function providerReferenceSites(raw: unknown): ProviderReferenceSite[] {
  return sectionEntries(raw, 'models').flatMap(([alias, model]) => {
    const name = asString(model?.provider);
    return name === undefined ? [] : [{ path: ['models', alias, 'provider'], name, alias }];
  });
}

export type ResolvedReference =
  | { kind: 'alias'; alias: string; provider: string | undefined; modelId: string | undefined }
  | { kind: 'direct'; provider: string; modelId: string };

/** An alias, or `provider/model-id` naming a configured provider; undefined when neither. */
export function resolveModelReference(raw: unknown, name: string): ResolvedReference | undefined {
  const model = sectionEntries(raw, 'models').find(([alias]) => alias === name);
  if (model) return { kind: 'alias', alias: name, provider: asString(model[1]?.provider), modelId: asString(model[1]?.model) };
  const slash = name.indexOf('/');
  if (slash > 0 && slash < name.length - 1) {
    const provider = name.slice(0, slash);
    if (providerNames(raw).includes(provider)) return { kind: 'direct', provider, modelId: name.slice(slash + 1) };
  }
  return undefined;
}

/** resolveModelReference for many names at once: the sections are indexed once, not read per name. */
export function modelReferenceResolver(raw: unknown): (name: string) => ResolvedReference | undefined {
  const aliases = new Map(sectionEntries(raw, 'models'));
  const providers = new Set(providerNames(raw));
  return (name) => {
    if (aliases.has(name)) {
      const model = aliases.get(name);
      return { kind: 'alias', alias: name, provider: asString(model?.provider), modelId: asString(model?.model) };
    }
    const slash = name.indexOf('/');
    if (slash > 0 && slash < name.length - 1 && providers.has(name.slice(0, slash))) return { kind: 'direct', provider: name.slice(0, slash), modelId: name.slice(slash + 1) };
    return undefined;
  };
}

/** The built-in role a configured role name fills (`reviewer` → `witness`), or the name itself. */
export function canonicalRoleName(name: string): string {
  return ROLE_ALIASES.get(name) ?? name;
}
