// Aliases (`*name`) that name no anchor defined before them. The YAML library only finds out while
// evaluating, and then gives up on the whole document; found here first, each is reported at its own
// range and read as null, so everything else in the file is still evaluated and checked.
import { isAlias, isNode, Scalar, visit, type Document } from 'yaml';
import type { ConfigIssue } from './issues';

/**
 * Reports each unresolved alias and replaces it with a null at the same range. One pass in document
 * order, remembering the anchors seen so far: an alias resolves to an anchor defined before it, as
 * the YAML library resolves it, without a walk of the document per alias.
 */
export function replaceUnresolvedAliases(document: Document.Parsed): ConfigIssue[] {
  const anchors = new Set<string>();
  const issues: ConfigIssue[] = [];
  visit(document, (_key, node) => {
    if (!isNode(node)) return undefined;
    if (!isAlias(node)) {
      if (node.anchor) anchors.add(node.anchor);
      return undefined;
    }
    if (anchors.has(node.source)) return undefined;
    const [start, end] = node.range ?? [0, 0];
    issues.push({
      severity: 'error',
      code: 'unknown-alias',
      message: `alias *${displayName(node.source)} names no anchor &${displayName(node.source)} defined before it`,
      start,
      end: Math.max(end, start + 1),
    });
    const empty = new Scalar(null);
    empty.range = [start, end, end];
    return empty;
  });
  return issues;
}

/** Anchor names are the user's text; a very long one is shortened in messages. */
function displayName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

/** What each alias of a document stands for, found with one walk the first time an alias is followed. */
export interface AliasTargets {
  /** The node an alias stands for (undefined when it names no anchor); any other node as it is. */
  follow(node: unknown): unknown;
}

const targetsByDocument = new WeakMap<Document, AliasTargets>();

export function aliasTargets(document: Document): AliasTargets {
  let targets = targetsByDocument.get(document);
  if (!targets) {
    let resolved: Map<unknown, unknown> | undefined;
    targets = {
      follow(node) {
        if (!isAlias(node)) return node;
        resolved ??= resolveAliases(document);
        return resolved.get(node);
      },
    };
    targetsByDocument.set(document, targets);
  }
  return targets;
}

/** Each alias → the latest node anchored under its name before it, in one walk in document order. */
function resolveAliases(document: Document): Map<unknown, unknown> {
  const anchored = new Map<string, unknown>();
  const resolved = new Map<unknown, unknown>();
  visit(document, (_key, node) => {
    if (!isNode(node)) return;
    if (isAlias(node)) resolved.set(node, anchored.get(node.source));
    else if (node.anchor) anchored.set(node.anchor, node);
  });
  return resolved;
}
