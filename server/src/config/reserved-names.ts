// Names JavaScript gives a meaning to. As a key of a plain object, `__proto__` sets the object's
// prototype instead of adding an entry (so a provider of that name silently disappears), and
// `constructor`/`prototype` collide with what every object already has. They are found on the YAML
// nodes, before any plain object is built, reported where they are written, and left out of the value
// every other check reads.
import { isScalar, visit, type Document } from 'yaml';
import type { ConfigIssue } from './issues';

export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// A reserved name is written as itself, or spelt with escapes in a quoted key (`"\x5f_proto__"`).
const MAY_HOLD_RESERVED_NAME = /__proto__|constructor|prototype|\\/;

/** Every mapping key in the document that is a reserved name, at the key's range. */
export function findReservedKeys(text: string, document: Document.Parsed): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  // The walk costs about as much as the incremental parse it follows; most texts cannot need it.
  if (!MAY_HOLD_RESERVED_NAME.test(text)) return issues;
  visit(document, {
    Pair(_key, pair) {
      if (!isScalar(pair.key) || !RESERVED_NAMES.has(String(pair.key.value))) return;
      const [start, end] = pair.key.range ?? [0, 0];
      issues.push({
        severity: 'error',
        code: 'reserved-name',
        message: `"${String(pair.key.value)}" cannot be used as a name: JavaScript reserves it, so the entry would be lost or misread; rename it`,
        start,
        end,
      });
    },
  });
  return issues;
}

/** A copy of the plain value without reserved keys, at any depth; shares nothing with the original. */
export function withoutReservedKeys(value: unknown): unknown {
  return copyWithout(value, new Map());
}

function copyWithout(value: unknown, copies: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Aliases can make the value a graph, even a cycle (`a: &x [*x]`): each object is copied once.
  const done = copies.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    copies.set(value, copy);
    for (const item of value) copy.push(copyWithout(item, copies));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  copies.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    if (!RESERVED_NAMES.has(key)) copy[key] = copyWithout(item, copies);
  }
  return copy;
}
