// A failed request to one of VS Code's models → what the server is told. `LanguageModelError`'s codes
// are `NoPermissions` (no consent), `Blocked` and `NotFound`; anything else (the model's own error) is a
// plain failure, which the server may retry. Pure: it reads the error's `code`, not its class.
import type { LanguageModelChatResult } from '../../../server/src/protocol';

type Failure = Extract<LanguageModelChatResult, { outcome: 'error' }>;

const CODES: Readonly<Record<string, Failure['code']>> = { NoPermissions: 'no-permissions', Blocked: 'blocked', NotFound: 'not-found' };

export function editorFailure(error: unknown): Failure {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : '';
  return { outcome: 'error', code: Object.hasOwn(CODES, code) ? CODES[code] : 'failed', message };
}
