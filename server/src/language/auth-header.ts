// The header a provider's key is sent in, as the hover shows it: what each adapter does for each
// `auth_type` (test/unit/language/auth-header.test.ts holds this table to the adapters' own code).
// Kept as data so the editor's hover does not load the HTTP stack.
import type { AuthType, ProviderType } from '../config/schema';

export interface AuthHeader {
  /** As the provider's documentation writes it: `Authorization`, `x-api-key`, `x-goog-api-key`. */
  name: string;
  /** With `<key>` where the key goes. */
  value: string;
}

/**
 * The header carrying the key, or undefined when none is sent (no key, or `auth_type: none`).
 * `authType` is as configured: Anthropic sends `x-api-key` unless `bearer` or `basic` is asked for.
 */
export function authHeaderFor(type: ProviderType, authType: AuthType | undefined, hasKey: boolean): AuthHeader | undefined {
  // VS Code's models are reached through the editor: no request of ours carries a key.
  if (!hasKey || authType === 'none' || type === 'vscode') return undefined;
  // Gemini's adapter always sends the key in its own header; bearer/basic do not apply to it.
  if (type === 'gemini') return { name: 'x-goog-api-key', value: '<key>' };
  if (authType === 'basic') return { name: 'Authorization', value: 'Basic base64(<key>)' };
  if (type === 'anthropic' && authType === undefined) return { name: 'x-api-key', value: '<key>' };
  return { name: 'Authorization', value: 'Bearer <key>' };
}
