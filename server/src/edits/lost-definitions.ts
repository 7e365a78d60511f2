// The rewrite rule: a whole file for an existing one is taken only when it keeps every definition the
// file had (a function, type, class or method of the same name and owner). What it drops is named, so
// the worker can be told.
import { definitionsOf } from '../project-map';
import type { Definition } from '../project-map/types';

const key = (definition: Definition) => `${definition.parent ?? ''}.${definition.name}`;

/** Names defined in `before` that `after` no longer defines. Pure, given the definitions. */
export function droppedDefinitions(before: readonly Definition[], after: readonly Definition[]): string[] {
  const kept = new Set(after.map(key));
  return [...new Set(before.filter((definition) => !kept.has(key(definition))).map((definition) => (definition.parent ? `${definition.parent}.${definition.name}` : definition.name)))];
}

export async function lostDefinitions(path: string, before: string, after: string): Promise<string[]> {
  const [old, next] = await Promise.all([definitionsOf(path, before), definitionsOf(path, after)]);
  return droppedDefinitions(old, next);
}
