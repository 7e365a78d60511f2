// Markdown descriptions of config entities for hover: a model alias, a provider, a role's chain.
// Never shows an api_key or header value — only which environment variable holds it.
import { findEnvReferences, lookupEnv, type Environment } from '../config/env';
import { asMap, asString, canonicalRoleName, resolveModelReference, sectionEntries, type RawMap } from '../config/references';
import { AUTH_TYPES, BUILT_IN_ROLES, PROVIDER_TYPES } from '../config/schema';
import { authHeaderFor } from './auth-header';

function entry(raw: unknown, section: string, name: string) {
  return sectionEntries(raw, section).find(([key]) => key === name)?.[1];
}

/** A URL as written, without user info, query or fragment — where keys like Gemini's `?key=` hide. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1').replace(/[?#].*$/s, '');
}

function formatPrice(value: unknown): string | undefined {
  return typeof value === 'number' ? `$${value}` : undefined;
}

export function describeAlias(raw: unknown, alias: string): string | undefined {
  const model = entry(raw, 'models', alias);
  if (!model) return undefined;
  const provider = asString(model.provider);
  const providerType = provider ? asString(entry(raw, 'providers', provider)?.type) : undefined;
  const rows = [
    `| provider | \`${provider ?? '?'}\`${providerType ? ` (${providerType})` : ''} |`,
    `| model | \`${asString(model.model) ?? '?'}\` |`,
  ];
  if (typeof model.context_window === 'number') rows.push(`| context window | ${model.context_window.toLocaleString('en-US')} tokens |`);
  if (typeof model.max_tokens === 'number') rows.push(`| max output | ${model.max_tokens.toLocaleString('en-US')} tokens |`);
  const pricing = asMap(model.pricing);
  const input = formatPrice(pricing?.input);
  const output = formatPrice(pricing?.output);
  const cached = formatPrice(pricing?.cache_read ?? pricing?.cached_input);
  const written = formatPrice(pricing?.cache_write);
  rows.push(
    input && output
      ? `| price per 1M tokens | ${input} in · ${output} out${cached ? ` · ${cached} cached` : ''}${written ? ` · ${written} cache writes` : ''} |`
      : '| price | not priced: its cost is flagged, never counted as $0 |',
  );
  return [`**${alias}** — model alias`, '', '| | |', '|---|---|', ...rows].join('\n');
}

export function describeProvider(raw: unknown, name: string, environment: Environment): string | undefined {
  const provider = entry(raw, 'providers', name);
  if (!provider) return undefined;
  const lines = [`**${name}** — provider (${asString(provider.type) ?? 'no type'})`, ''];
  if (asString(provider.type) === 'vscode') {
    lines.push("- VS Code's own language models (Copilot's, or any extension's), reached through the electrictown extension: only inside VS Code; `et` in a terminal falls back to the next model");
    lines.push('- models: `VENDOR/FAMILY` (e.g. `copilot/gpt-4o`), `VENDOR/FAMILY@VERSION` or `id:ID`; no `base_url` or key: VS Code signs in and asks for consent on first use');
  }
  const baseUrl = asString(provider.base_url);
  if (baseUrl !== undefined) lines.push(`- base_url: \`${withoutCredentials(baseUrl)}\``);
  const apiKey = asString(provider.api_key);
  const keyVariables = apiKey === undefined ? [] : findEnvReferences(apiKey).map((reference) => reference.name);
  const keySource =
    keyVariables.length > 0
      ? keyVariables.map((variable) => `\`$${variable}\` (${lookupEnv(environment, variable) ? 'set' : 'not set'})`).join(', ')
      : apiKey
        ? 'written in the file'
        : 'none';
  if (asString(provider.type) !== 'vscode') lines.push(`- auth: ${describeAuth(provider, apiKey)}; key: ${keySource}`);
  const aliases = sectionEntries(raw, 'models').filter(([, model]) => model?.provider === name).map(([alias]) => `\`${alias}\``);
  if (aliases.length > 0) lines.push(`- models: ${aliases.join(', ')}`);
  return lines.join('\n');
}

/** The header the key goes in (`x-api-key: <key>`), or why none is sent. */
function describeAuth(provider: RawMap, apiKey: string | undefined): string {
  const type = asString(provider.type);
  const configured = asString(provider.auth_type);
  // An empty auth_type means the default, as in the schema.
  const authType = AUTH_TYPES.find((known) => known === configured);
  if (configured === 'none') return 'none (`auth_type: none`)';
  if (!apiKey) return 'none (no `api_key`)';
  const providerType = PROVIDER_TYPES.find((known) => known === type);
  const header = providerType && authHeaderFor(providerType, authType, true);
  return header ? `sent as \`${header.name}: ${header.value}\`` : `${configured || 'default'}`;
}

function describeReference(raw: unknown, name: string): string {
  const resolved = resolveModelReference(raw, name);
  if (!resolved) return `\`${name}\` (unknown)`;
  return `\`${name}\` → ${resolved.provider ?? '?'}/${resolved.modelId ?? '?'}`;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** A role with the models it will try, in order, and where each setting comes from. */
export function describeRole(raw: unknown, roleName: string): string {
  const role = entry(raw, 'roles', roleName);
  const defaults = asMap(asMap(raw)?.defaults);
  const canonical = canonicalRoleName(roleName);
  const builtIn = (BUILT_IN_ROLES as readonly string[]).includes(canonical);
  const lines = [`**${roleName}** — ${builtIn ? 'built-in' : 'custom'} role${canonical !== roleName ? ` (read as \`${canonical}\`)` : ''}`, ''];
  const ownModel = asString(role?.model);
  const primary = ownModel ?? asString(defaults?.model);
  const ownFallbacks = stringList(role?.fallbacks);
  const fallbacks = ownFallbacks ?? stringList(defaults?.fallbacks) ?? [];
  if (primary === undefined) {
    lines.push('No model: set `model` here or `defaults.model`.');
  } else {
    const chain = [primary, ...fallbacks].map((name) => describeReference(raw, name));
    lines.push(`Chain${ownModel === undefined ? ' (model from defaults)' : ''}${ownFallbacks === undefined && fallbacks.length > 0 ? ' (fallbacks from defaults)' : ''}:`, '');
    chain.forEach((step, index) => lines.push(`${index + 1}. ${step}`));
  }
  const pool = stringList(role?.pool);
  if (pool && pool.length > 0) lines.push('', `Pool (round-robin): ${pool.map((name) => `\`${name}\``).join(', ')}`);
  return lines.join('\n');
}
