// YAML text → document with source ranges, plain value and syntax issues; and path → text range.
// Hostile input (huge files, binary, alias bombs, deep nesting) ends in a diagnostic, not a hang or a crash.
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import type { IncrementalYamlParser } from './incremental-yaml';
import type { ConfigIssue, PathIssue } from './issues';
import type { ConfigPath } from './schema-walk';
import { aliasTargets, isMergeKey, mergeSources, replaceInvalidMerges, replaceUnresolvedAliases, type AliasTargets } from './yaml-aliases';
import { YAML_OPTIONS } from './yaml-options';

/**
 * A config is a page or two of YAML; anything this large is a mistake, not a config. The bound also
 * caps how long one full check can hold the server (~1 s at this size on a slow 2-core machine).
 */
export const MAX_CONFIG_CHARS = 256 * 1024;
const MAX_ALIAS_EXPANSIONS = 100;
/**
 * Deeper than any config, and far below where the YAML library's recursion runs out of stack — which
 * it reports differently depending on how much stack is left, so the bound keeps results deterministic.
 */
const MAX_NESTING = 64;

/**
 * Deepest flow nesting (brackets) or block nesting: indentation, counted as 2 spaces a level, plus the
 * compact collections a line opens before its content (`- - - x` is three lists deep on one line).
 */
function nestingDepth(text: string): number {
  let deepest = 0;
  let brackets = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 91 || code === 123) deepest = Math.max(deepest, ++brackets);
    else if ((code === 93 || code === 125) && brackets > 0) brackets--;
  }
  for (const match of text.matchAll(/^( *)((?:[-?:] +)*)(?=\S)/gm)) {
    const compact = match[2].replace(/ /g, '').length;
    deepest = Math.max(deepest, Math.floor(match[1].length / 2) + compact);
  }
  return deepest;
}

export interface YamlSource {
  text: string;
  document: Document.Parsed | undefined;
  /** The plain value, or undefined when the text could not be evaluated at all. */
  value: unknown;
  issues: ConfigIssue[];
}

function wholeTextIssue(text: string, code: string, message: string): ConfigIssue {
  const firstLineEnd = text.indexOf('\n');
  return { severity: 'error', code, message, start: 0, end: firstLineEnd === -1 ? Math.min(text.length, 200) : firstLineEnd };
}

/** Parses config text; never throws. An incremental parser, when given, reuses unchanged entries. */
export function parseYamlSource(text: string, incremental?: IncrementalYamlParser): YamlSource {
  if (text.length > MAX_CONFIG_CHARS) {
    return { text, document: undefined, value: undefined, issues: [wholeTextIssue(text, 'too-large', tooLargeMessage(text.length))] };
  }
  if (text.includes('\u0000')) {
    return {
      text,
      document: undefined,
      value: undefined,
      issues: [wholeTextIssue(text, 'not-text', 'config contains NUL bytes: this is a binary file, not YAML')],
    };
  }
  if (nestingDepth(text) > MAX_NESTING) {
    return { text, document: undefined, value: undefined, issues: [wholeTextIssue(text, 'too-deep', `config is nested more than ${MAX_NESTING} levels deep`)] };
  }
  let document: Document.Parsed;
  try {
    document = incremental?.parse(text) ?? parseDocument(text, YAML_OPTIONS);
  } catch (error) {
    // Pathological nesting can exhaust the parser's stack.
    return { text, document: undefined, value: undefined, issues: [wholeTextIssue(text, 'yaml-syntax', `YAML could not be parsed: ${String(error)}`)] };
  }
  const issues: ConfigIssue[] = [];
  for (const problem of document.errors) {
    const [start, end] = problemRange(text, problem.pos);
    if (problem.code === 'DUPLICATE_KEY') {
      const keyEnd = start + keyLengthAt(text, start);
      issues.push({ severity: 'error', code: 'duplicate-key', message: `duplicate key "${text.slice(start, keyEnd)}": the last one wins`, start, end: keyEnd });
    } else {
      issues.push({ severity: 'error', code: 'yaml-syntax', message: firstLine(problem.message), start, end });
    }
  }
  for (const problem of document.warnings) {
    const [start, end] = problemRange(text, problem.pos);
    issues.push({ severity: 'warning', code: 'yaml-warning', message: firstLine(problem.message), start, end });
  }
  let value: unknown;
  const evaluationIssues: ConfigIssue[] = [];
  try {
    // Only full parses have aliases or merge keys (the incremental parser leaves them to the full parse).
    if (text.includes('*')) evaluationIssues.push(...replaceUnresolvedAliases(document));
    if (text.includes('<<')) evaluationIssues.push(...replaceInvalidMerges(document));
    value = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    value = undefined;
    const isMergeError = error instanceof Error && /merge sources/i.test(error.message);
    // A bad merge source that could not be replaced: the invalid-merge issue says why already.
    if (!(isMergeError && evaluationIssues.some((issue) => issue.code === 'invalid-merge'))) {
      const message =
        error instanceof ReferenceError && /excessive alias count/i.test(error.message)
          ? `too many alias expansions (more than ${MAX_ALIAS_EXPANSIONS}): the config looks like a YAML alias bomb and was not evaluated`
          : `YAML could not be evaluated: ${String(error)}`;
      evaluationIssues.push(wholeTextIssue(text, 'yaml-syntax', message));
    }
  }
  issues.push(...evaluationIssues);
  return { text, document, value, issues };
}

/**
 * Where the YAML library places a problem, at least one character wide so an editor shows it, and
 * inside the text: a problem at the very end (an unclosed bracket) is placed on the last character.
 */
function problemRange(text: string, [start, end]: [number, number]): [number, number] {
  const clampedEnd = Math.min(text.length, Math.max(end, start + 1));
  return [Math.max(0, Math.min(start, clampedEnd - 1)), clampedEnd];
}

/** Length of the (possibly quoted) mapping key starting at `offset`. */
function keyLengthAt(text: string, offset: number): number {
  const match = /^("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\n:#]*?(?=\s*:(?:\s|$)))/.exec(text.slice(offset, offset + 1024));
  return Math.max(1, match?.[0].length ?? 1);
}

export function tooLargeMessage(size: number): string {
  return `config is too large to be read (${(size / 1024).toFixed(0)} KB; the limit is ${MAX_CONFIG_CHARS / 1024} KB)`;
}

/** The YAML library's message without the source text it sometimes quotes (which may be a key). */
function firstLine(message: string): string {
  const line = message.split('\n')[0].trim().replace(/ at line \d+, column \d+:?$/, '');
  const quoteStart = line.indexOf(': ');
  return quoteStart === -1 ? line : line.slice(0, quoteStart);
}

/** Merge sources are followed this deep at most (a merged map may merge others in turn). */
const MAX_MERGE_DEPTH = 8;

/**
 * The pair for `key` in a mapping: its own, else the one a merge key (`<<: *base`) brings in, as the
 * evaluated value has it; so an issue with a merged setting points where the setting is written.
 */
function pairFor(aliases: AliasTargets, node: unknown, key: string | number, depth = 0): Pair | undefined {
  const map = aliases.follow(node);
  if (!isMap(map)) return undefined;
  // With duplicate keys the last one wins, as in the evaluated value.
  let found: Pair | undefined;
  const merged: unknown[] = [];
  for (const item of map.items) {
    if (isMergeKey(item.key)) merged.push(item.value);
    else if (keyText(item.key) === String(key)) found = item;
  }
  if (found || depth >= MAX_MERGE_DEPTH) return found;
  // Explicit keys win over merged ones; of several merged mappings, the first that has the key.
  for (const value of merged) {
    for (const mergedSource of mergeSources(aliases, value)) {
      const pair = pairFor(aliases, mergedSource, key, depth + 1);
      if (pair) return pair;
    }
  }
  return undefined;
}

/** A key as the evaluated value names it; a collection used as a key may not even print (a bad merge inside it). */
function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  try {
    return String(key);
  } catch {
    return undefined;
  }
}

function childNode(aliases: AliasTargets, node: unknown, key: string | number): Node | undefined {
  const collection = aliases.follow(node);
  if (isMap(collection)) {
    const pair = pairFor(aliases, collection, key);
    return pair && (isPair(pair) ? (pair.value as Node | undefined) : undefined);
  }
  if (isSeq(collection) && typeof key === 'number') return collection.items[key] as Node | undefined;
  return undefined;
}

function nodeRange(node: { range?: [number, number, number] | null } | null | undefined): [number, number] | undefined {
  return node?.range ? [node.range[0], node.range[1]] : undefined;
}

/**
 * The text range an issue points at: the value at `path` (or its key), narrowed to `within` when
 * given; when the path does not exist, the key of the nearest ancestor that does.
 */
export function locate(source: YamlSource, path: ConfigPath, target: 'key' | 'value', within?: string): [number, number] {
  const document = source.document;
  if (!document) return [0, 0];
  const aliases = aliasTargets(document);
  let node: unknown = document.contents;
  let lastKeyRange: [number, number] | undefined;
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    const isLast = index === path.length - 1;
    const pair = pairFor(aliases, node, segment);
    const keyRange = pair && isScalar(pair.key) ? nodeRange(pair.key) : undefined;
    if (isLast && target === 'key' && keyRange) return keyRange;
    const child = childNode(aliases, node, segment);
    if (child === undefined || child === null) {
      // A key with no value (`model:`) points at its key; a missing key at its parent's key.
      if (isLast && keyRange) return keyRange;
      return lastKeyRange ?? firstContentLine(source);
    }
    lastKeyRange = keyRange ?? nodeRange(child as Node);
    node = child;
  }
  const range = trimEnd(source.text, nodeRange(node as Node) ?? lastKeyRange ?? firstContentLine(source));
  if (within !== undefined) {
    const offset = indexOfWhole(source.text.slice(range[0], range[1]), within);
    if (offset !== -1) return [range[0] + offset, range[0] + offset + within.length];
  }
  return range;
}

/** Where `needle` stands as a whole (`$HOST` not inside `$HOST_NAME`), or -1. */
function indexOfWhole(haystack: string, needle: string): number {
  for (let from = haystack.indexOf(needle); from !== -1; from = haystack.indexOf(needle, from + 1)) {
    if (!/[A-Za-z0-9_]/.test(haystack[from + needle.length] ?? '')) return from;
  }
  return -1;
}

/** Block collections end after their last newline; diagnostics read better without it. */
function trimEnd(text: string, [start, end]: [number, number]): [number, number] {
  let trimmed = end;
  while (trimmed > start + 1 && /\s/.test(text[trimmed - 1])) trimmed--;
  return [start, trimmed];
}

/** The first line of the document's content, past any leading comments. */
function firstContentLine(source: YamlSource): [number, number] {
  const start = nodeRange(source.document?.contents as Node | undefined)?.[0] ?? 0;
  const end = source.text.indexOf('\n', start);
  return [start, end === -1 ? source.text.length : end];
}

/** Places path-based issues in the text. */
export function locateIssues(source: YamlSource, issues: readonly PathIssue[]): ConfigIssue[] {
  return issues.map((issue) => {
    const [start, end] = locate(source, issue.path, issue.target, issue.within);
    return { severity: issue.severity, code: issue.code, message: issue.message, start, end };
  });
}
