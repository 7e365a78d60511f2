// From what a language's queries captured to a file's outline: which definitions are kept (top-level
// ones, and methods directly inside a kept class, interface, struct, trait, enum or impl), their
// signatures and lines. Pure: the captures are plain records (see tree-sitter.ts).
import type { Definition } from './types';

export interface CapturedDefinition {
  kind: string;
  name: string;
  nameStart: number;
  nameEnd: number;
  /** The definition node's extent, as string indices into the file's content. */
  start: number;
  end: number;
  /** Where its signature starts: before `export`, `type`… on the same line. */
  signatureStart: number;
  startRow: number;
  endRow: number;
  bodyStart?: number;
  bodyEnd?: number;
  /** A Go receiver's or a C++ qualified name's type. */
  parent?: string;
  /** A member's: where its class (struct, impl…) starts. */
  containerStart?: number;
  /** The query pattern that matched: where two match one node, the earlier one wins. */
  pattern: number;
}

export const CONTAINER_KINDS: ReadonlySet<string> = new Set(['class', 'interface', 'struct', 'trait', 'enum', 'union', 'impl']);
const SIGNATURE_MAX = 200;

export function outlineFromCaptures(content: string, captured: readonly CapturedDefinition[]): Definition[] {
  const byNode = new Map<string, CapturedDefinition>();
  for (const definition of captured) {
    const key = `${definition.start}:${definition.nameStart}`;
    const earlier = byNode.get(key);
    if (!earlier || definition.pattern < earlier.pattern) byNode.set(key, definition);
  }
  // Outer before inner: by start, then the longer first.
  const ordered = [...byNode.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: { captured: CapturedDefinition; parent: string | undefined }[] = [];
  const containers = new Map<number, CapturedDefinition>();
  let enclosingEnd = -1;
  for (const definition of ordered) {
    if (definition.containerStart !== undefined) {
      const container = containers.get(definition.containerStart);
      if (container) kept.push({ captured: definition, parent: container.name });
    } else if (definition.start >= enclosingEnd) {
      // Nothing captured encloses it: top level (a method needs its receiver or scope to belong to).
      if (definition.kind !== 'method' || definition.parent !== undefined) {
        kept.push({ captured: definition, parent: definition.parent });
        if (CONTAINER_KINDS.has(definition.kind)) containers.set(definition.start, definition);
      }
    }
    enclosingEnd = Math.max(enclosingEnd, definition.end);
  }
  return withoutBodilessDuplicates(kept.map(({ captured: definition, parent }) => toDefinition(content, definition, parent)), kept.map(({ captured: definition }) => definition.bodyStart !== undefined));
}

/** A prototype or overload signature beside its implementation (C headers in a .c, TS overloads): the implementation stays. */
function withoutBodilessDuplicates(definitions: Definition[], hasBody: boolean[]): Definition[] {
  const key = (definition: Definition) => `${definition.kind}\0${definition.parent ?? ''}\0${definition.name}`;
  const implemented = new Set(definitions.filter((_, index) => hasBody[index]).map(key));
  const seenBodiless = new Set<string>();
  return definitions.filter((definition, index) => {
    if (hasBody[index]) return true;
    const name = key(definition);
    if (implemented.has(name) || seenBodiless.has(name)) return false;
    seenBodiless.add(name);
    return true;
  });
}

function toDefinition(content: string, captured: CapturedDefinition, parent: string | undefined): Definition {
  const definition: Definition = {
    name: captured.name,
    kind: captured.kind,
    signature: signatureOf(content, captured),
    line: captured.startRow + 1,
    endLine: captured.endRow + 1,
  };
  if (parent !== undefined) definition.parent = parent;
  return definition;
}

/**
 * The declaration up to its body, on one line: `func (s *Store) Get(id string) (Item, error)`,
 * `export class Server extends Base`, `def top(a: int) -> int`. Without a body, its first line (or
 * lines, while a parenthesis is open). A name after the body (C's `typedef struct {…} point_t`) is kept.
 */
export function signatureOf(content: string, captured: Pick<CapturedDefinition, 'signatureStart' | 'end' | 'bodyStart' | 'bodyEnd' | 'nameStart' | 'nameEnd'>): string {
  let text = captured.bodyStart !== undefined ? content.slice(captured.signatureStart, captured.bodyStart) : firstLines(content, captured.signatureStart, captured.end);
  text = oneLine(text).replace(/\s*[{:;]$/, '');
  if (captured.bodyEnd !== undefined && captured.nameStart >= captured.bodyEnd) text += ` {…} ${oneLine(content.slice(captured.bodyEnd, captured.nameEnd))}`;
  // Decorators and annotations are on lines of their own, or not worth a map's space.
  text = text.replace(/^(?:@[\w.]+(?:\([^()]*\))?\s+)+(?=\S)/, '');
  return text.length > SIGNATURE_MAX ? `${text.slice(0, SIGNATURE_MAX - 1)}…` : text;
}

function firstLines(content: string, start: number, end: number): string {
  let depth = 0;
  for (let index = start; index < end; index++) {
    const char = content[index];
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === '\n' && depth <= 0) return content.slice(start, index);
    if (index - start > SIGNATURE_MAX * 2) return content.slice(start, index);
  }
  return content.slice(start, end);
}

/** Whitespace as one space; parameters written one per line read as written on one (`f(a, b)`). */
function oneLine(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/([([]) /g, '$1')
    .replace(/,? ([)\]])/g, '$1')
    .trim();
}
