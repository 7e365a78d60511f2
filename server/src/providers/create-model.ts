// A chain entry → the adapter for its provider, with `$VAR`s resolved from the given environment.
// A provider whose key variable is unset fails here, naming the variable (never a value).
import { resolveEnv, type Environment } from '../config/env';
import { ownEntry } from '../config/references';
import type { ElectrictownConfig, ProviderConfig, ProviderType } from '../config/schema';
import type { ChainEntry } from '../router/chain';
import { AnthropicModel } from './anthropic/anthropic-model';
import { GeminiModel } from './gemini/gemini-model';
import { DEFAULT_TIMEOUTS, type ProviderSettings, type Timeouts } from './http';
import type { LanguageModel } from './language-model';
import { OllamaModel } from './ollama/ollama-model';
import { OpenAiModel } from './openai/openai-model';
import { ProviderError } from './provider-error';
import { OUTSIDE_EDITOR, type ClientLanguageModels } from './vscode/client-language-models';
import { VscodeModel } from './vscode/vscode-model';

/** Used when a provider has no `base_url`; an `openai-compatible` server has no default (the config check asks for one). */
export const DEFAULT_BASE_URLS: Partial<Record<ProviderType, string>> = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com/v1beta',
  ollama: 'http://localhost:11434',
};

/** The provider's `timeouts` (seconds) over the defaults. */
export function configuredTimeouts(configured: ProviderConfig['timeouts']): Timeouts {
  const milliseconds = (value: number | undefined, fallback: number) => (value === undefined ? fallback : Math.round(value * 1000));
  return {
    connectMs: milliseconds(configured?.connect, DEFAULT_TIMEOUTS.connectMs),
    firstByteMs: milliseconds(configured?.first_byte, DEFAULT_TIMEOUTS.firstByteMs),
    idleMs: milliseconds(configured?.idle, DEFAULT_TIMEOUTS.idleMs),
  };
}

/** A provider's settings with `$VAR`s resolved; an unset variable fails here, naming it. `timeouts` overrides the config's. */
export function providerSettings(config: ElectrictownConfig, environment: Environment, providerKey: string, timeouts?: Timeouts): ProviderSettings & { type: ProviderType; org: string | undefined } {
  const provider = ownEntry(config.providers, providerKey);
  if (!provider) throw new Error(`provider "${providerKey}" is not in the config`);
  const unset: string[] = [];
  const resolve = (value: string | undefined) => {
    if (value === undefined) return undefined;
    const resolved = resolveEnv(value, environment);
    unset.push(...resolved.unset);
    return resolved.value;
  };
  const baseUrl = resolve(provider.base_url) ?? DEFAULT_BASE_URLS[provider.type];
  if (baseUrl === undefined) throw new ProviderError(providerKey, provider.type, { errorClass: 'bad_request', action: 'fail', message: `a provider of type ${provider.type} needs base_url` });
  const settings = {
    type: provider.type,
    provider: providerKey,
    baseUrl,
    apiKey: resolve(provider.api_key) || undefined,
    authType: provider.auth_type,
    org: provider.org,
    headers: Object.fromEntries(Object.entries(provider.headers ?? {}).map(([name, value]) => [name, resolve(value) ?? ''])),
    timeouts: timeouts ?? configuredTimeouts(provider.timeouts),
  };
  if (unset.length > 0) {
    const variables = [...new Set(unset)].map((name) => `$${name}`).join(', ');
    throw new ProviderError(providerKey, provider.type, { errorClass: 'auth', action: 'fail', message: `needs ${variables}, which ${unset.length === 1 ? 'is' : 'are'} not set` });
  }
  return settings;
}

/** `clientModels`: how a `type: vscode` provider reaches the editor's models (by default it cannot: `et` outside VS Code). */
export function createModel(config: ElectrictownConfig, environment: Environment, entry: ChainEntry, timeouts?: Timeouts, clientModels: ClientLanguageModels = OUTSIDE_EDITOR): LanguageModel {
  // The editor's models have no URL or key: the client that runs the server reaches them.
  if (entry.providerType === 'vscode') return new VscodeModel(entry.provider, entry.modelId, clientModels, timeouts ?? configuredTimeouts(ownEntry(config.providers, entry.provider)?.timeouts));
  const settings = providerSettings(config, environment, entry.provider, timeouts);
  switch (settings.type) {
    case 'openai':
    case 'openai-compatible':
      return new OpenAiModel(settings, entry.modelId, settings.type);
    case 'anthropic':
      return new AnthropicModel(settings, entry.modelId);
    case 'gemini':
      return new GeminiModel(settings, entry.modelId);
    case 'ollama':
      return new OllamaModel(settings, entry.modelId, entry.contextWindow);
    case 'vscode':
      // Returned above from the entry's own type; kept so that every type has its case.
      throw new ProviderError(entry.provider, 'vscode', { errorClass: 'bad_request', action: 'fail', message: "a provider of type vscode is reached through the editor, not over HTTP" });
  }
}
