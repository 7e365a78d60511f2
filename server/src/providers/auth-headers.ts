// The Authorization header for `auth_type` bearer | basic | none (the key already resolved from $VAR).
import type { AuthType } from '../config/schema';

/** Bearer when a key is set and no type is given; none without a key. */
export function authorizationHeader(authType: AuthType | undefined, apiKey: string | undefined): Record<string, string> {
  const effective = authType ?? (apiKey ? 'bearer' : 'none');
  if (effective === 'none' || !apiKey) return {};
  if (effective === 'basic') return { authorization: `Basic ${Buffer.from(apiKey, 'utf8').toString('base64')}` };
  return { authorization: `Bearer ${apiKey}` };
}
