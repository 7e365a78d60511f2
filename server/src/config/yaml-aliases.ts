// Aliases (`*name`) that name no anchor defined before them, and merge keys (`<<`) that name something
// other than mappings. The YAML library only finds out while evaluating, and then gives up on the whole
// document; found here first, each is reported at its own range and made harmless (an alias reads as
// null, a bad merge source as an empty mapping), so everything else in the file is still checked.
import { isAlias, isMap, isNode, isScalar, isSeq, Scalar, visit, YAMLMap, type Document } from 'yaml';
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
      end,
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

/** `<<` as the YAML library reads a plain merge key with `merge` on; a quoted "<<" is an ordinary key. */
export function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/** The mappings a merge key's value stands for, as the YAML library reads them: one, or a list of them. */
export function mergeSources(aliases: AliasTargets, value: unknown): unknown[] {
  const source = aliases.follow(value);
  return isSeq(source) ? source.items.map((item) => aliases.follow(item)) : [source];
}

/**
 * Reports each merge key whose value is not a mapping, an alias of one, or a list of those, and
 * replaces each bad source with an empty mapping, which merges nothing. A source that holds anchors
 * deeper inside is left as it is (aliases elsewhere may need them); evaluation then fails, and the
 * issue reported here says why. Mutates the document: only for documents parsed in full.
 */
export function replaceInvalidMerges(document: Document.Parsed): ConfigIssue[] {
  const aliases = aliasTargets(document);
  const issues: ConfigIssue[] = [];
  visit(document, {
    Pair(_key, pair) {
      if (!isMergeKey(pair.key)) return;
      const value = pair.value;
      if (mergeSources(aliases, value).every((source) => isMap(source))) return;
      // On the value; on the `<<` itself when the value is empty (`<<:` at the end of a line).
      const valueRange = isNode(value) ? value.range : undefined;
      const [start, end] = valueRange && valueRange[1] > valueRange[0] ? valueRange : ((pair.key as Scalar).range ?? [0, 0]);
      issues.push({
        severity: 'error',
        code: 'invalid-merge',
        message: 'a merge key (<<) takes a mapping, an alias of one, or a list of them: this one merges nothing',
        start,
        end,
      });
      // A list written here has its bad items replaced; anything else (an alias of a list included,
      // which is used elsewhere as it is) is replaced as a whole.
      if (isSeq(value)) {
        value.items.forEach((item, index) => {
          if (!isMap(aliases.follow(item)) && !hasInnerAnchor(item)) value.items[index] = emptyMapAt(item);
        });
      } else if (!hasInnerAnchor(value)) {
        pair.value = emptyMapAt(value);
      }
    },
  });
  return issues;
}

/** An empty mapping where `node` was; an anchor on it stays, so a later alias of it still finds something. */
function emptyMapAt(node: unknown): YAMLMap {
  const empty = new YAMLMap();
  if (isNode(node)) {
    empty.range = node.range ?? null;
    if (!isAlias(node) && node.anchor) empty.anchor = node.anchor;
  }
  return empty;
}

/** Whether a node holds an anchor below itself, which aliases elsewhere may still need. */
function hasInnerAnchor(node: unknown): boolean {
  if (!isNode(node)) return false;
  let found = false;
  visit(node, (_key, inner) => {
    if (inner !== node && isNode(inner) && !isAlias(inner) && inner.anchor) {
      found = true;
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}
