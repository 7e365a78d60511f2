// The name a provider endpoint's health is kept under, in memory and in the shared file under the log
// folder: the provider's type, where it is (scheme, host, path) and the model. Never a key: user info,
// query and fragment are dropped, and any configured secret left in the path is redacted.
import type { ProviderType } from '../config/schema';
import { redactSecrets } from '../providers/redact';

export function endpointKey(providerType: ProviderType, baseUrl: string, modelId: string, secrets: readonly string[]): string {
  return redactSecrets(`${providerType} ${endpointPlace(baseUrl)} ${modelId}`, secrets);
}

/** Scheme, host and path of a base URL, without user info, query or fragment (not yet redacted). */
export function endpointPlace(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return baseUrl.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1').replace(/[?#].*$/s, '');
  }
}
