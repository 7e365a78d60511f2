// Editing fixture text for before/after pairs.
import assert from 'node:assert/strict';

/** `text` with `find` replaced, failing loudly when `find` is not there (a fixture gone stale). */
export function edit(text: string, find: string | RegExp, replacement: string): string {
  assert.ok(typeof find === 'string' ? text.includes(find) : find.test(text), `the fixture has ${String(find)}`);
  return text.replace(find, replacement);
}
