// Re-parses only what changed. A config is a few top-level sections whose entries sit at one
// indentation (`models:` → `  fast:` …); an edit touches one entry, so the parse of every other entry
// is reused (its node ranges shifted). The YAML library's full parse alone costs more than the whole
// edit→diagnostics budget on a 2,000-line config. Anything unusual (anchors, flow collections across
// lines, tabs, several documents, a parse error, duplicate keys) returns undefined, and the caller
// parses the whole text as usual — so the result is always the full parse's, only sooner.
import { Document, isMap, isScalar, Pair, parseDocument, Scalar, visit, YAMLMap } from 'yaml';
import { YAML_OPTIONS } from './yaml-options';

interface Chunk {
  start: number;
  end: number;
}

/** A top-level key, with its entries when its value is a block mapping split at its indentation. */
interface Section {
  header: Chunk;
  entries: Chunk[] | undefined;
}

interface CachedPair {
  pair: Pair;
  base: number;
  lastUsed: number;
}

const TOP_LEVEL_KEY = /^(?:"[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_.$/-][^:#\n]*?):(?:[ ]+(.*))?$/;
// Document markers, directives, tabs, carriage returns, anchors/aliases/tags, merge keys (their checks
// rewrite the document, which must not touch cached entries), a BOM, and any non-ASCII character
// opening a line (YAML reads NBSP and friends as content, not indentation).
const UNSUPPORTED = /^(?:---|\.\.\.|%)|\t|\r|\uFEFF|(?:^|[\s,[{])[&*!][^\s,\]}]|<<|^ *[^\x00-\x7F]/m;

/** Indentation is spaces only, as YAML counts it. */
function indentOf(line: string): number {
  return /^ */.exec(line)?.[0].length ?? 0;
}

/** Offset of the first character that is neither indentation nor part of a comment line. */
function firstContentOffset(source: string): number {
  const match = /^( *)[^ #\n]/m.exec(source);
  return match ? match.index + match[1].length : -1;
}

function isBlankOrComment(line: string): boolean {
  return /^ *(#|$)/.test(line);
}

/** Splits config text into sections and entries, or undefined when it is not plain block YAML. */
export function splitSections(text: string): Section[] | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  const lines = text.split('\n');
  const sections: Section[] = [];
  let offset = 0;
  let current: { section: Section; entryIndent: number | undefined; splittable: boolean } | undefined;
  for (const line of lines) {
    const lineStart = offset;
    offset += line.length + 1;
    if (isBlankOrComment(line)) continue;
    const indent = indentOf(line);
    if (indent === 0) {
      const match = TOP_LEVEL_KEY.exec(line);
      if (!match) return undefined;
      const inlineValue = match[1] !== undefined && !match[1].startsWith('#');
      // Leading comments belong to the first section.
      const headerStart = sections.length === 0 ? 0 : lineStart;
      current = { section: { header: { start: headerStart, end: lineStart + line.length + 1 }, entries: inlineValue ? undefined : [] }, entryIndent: undefined, splittable: !inlineValue };
      sections.push(current.section);
      continue;
    }
    if (!current) return undefined;
    if (!current.splittable) continue;
    const entries = current.section.entries ?? [];
    if (current.entryIndent === undefined) {
      if (/^ *[-?:]/.test(line)) {
        current.splittable = false;
        current.section.entries = undefined;
        continue;
      }
      current.entryIndent = indent;
    }
    if (indent < current.entryIndent) return undefined;
    if (indent === current.entryIndent) {
      // Only plain `key:` entries; explicit keys (`? x`), flow collections and the like go to the full parse.
      if (!/^ *[^\s\-?:[{#]/.test(line)) return undefined;
      entries.push({ start: lineStart, end: lineStart });
    }
  }
  // Each chunk runs to the start of the next one; the header runs to its first entry.
  const ends = sections.map((_, index) => (index + 1 < sections.length ? sections[index + 1].header.start : text.length));
  sections.forEach((section, index) => {
    const sectionEnd = ends[index];
    const entries = section.entries;
    if (!entries || entries.length === 0) {
      section.entries = undefined;
      section.header.end = sectionEnd;
      return;
    }
    section.header.end = entries[0].start;
    entries.forEach((entry, entryIndex) => (entry.end = entryIndex + 1 < entries.length ? entries[entryIndex + 1].start : sectionEnd));
  });
  return sections.length > 0 ? sections : undefined;
}

function shift(pair: Pair, delta: number): void {
  if (delta === 0) return;
  // A one-pair mapping, so `visit` (which walks nodes and documents) can reach the pair's parts.
  const holder = new YAMLMap();
  holder.items.push(pair);
  visit(holder, (_key, visited) => {
    const ranged = visited as { range?: [number, number, number] | null } | null;
    if (ranged?.range) ranged.range = [ranged.range[0] + delta, ranged.range[1] + delta, ranged.range[2] + delta];
  });
}

/** Where a pair's content ends: its value's (or, for an empty value, its key's) range end. */
function contentEnd(pair: Pair): number | undefined {
  const value = pair.value as { range?: [number, number, number] | null } | null;
  const key = pair.key as { range?: [number, number, number] | null } | null;
  return value?.range?.[2] ?? key?.range?.[1];
}

function keyText(pair: Pair): string {
  return pair.key instanceof Scalar ? String(pair.key.value) : String(pair.key);
}

export class IncrementalYamlParser {
  private readonly cache = new Map<string, CachedPair[]>();
  private pass = 0;

  /** The document for `text`, or undefined when only a full parse gives the right answer. */
  parse(text: string): Document.Parsed | undefined {
    const sections = splitSections(text);
    if (!sections) return undefined;
    this.pass++;
    const top = new YAMLMap();
    for (const section of sections) {
      const headerPair = this.pairAt(text, section.header);
      if (!headerPair) return this.abandon();
      if (!section.entries) {
        top.items.push(headerPair);
        continue;
      }
      const body = new YAMLMap();
      for (const entry of section.entries) {
        const pair = this.pairAt(text, entry);
        if (!pair) return this.abandon();
        body.items.push(pair);
      }
      const first = section.entries[0].start;
      const lastPair = body.items[body.items.length - 1] as Pair;
      const last = contentEnd(lastPair) ?? section.entries[section.entries.length - 1].end;
      body.range = [(body.items[0].key as Scalar).range?.[0] ?? first, last, last];
      top.items.push(new Pair(headerPair.key, body));
    }
    if (hasDuplicateKeys(top)) return this.abandon();
    const firstKey = top.items[0].key as Scalar;
    top.range = [firstKey.range?.[0] ?? 0, text.length, text.length];
    this.evictUnused();
    const document = new Document(undefined, YAML_OPTIONS) as Document.Parsed;
    document.contents = top as YAMLMap.Parsed;
    return document;
  }

  /** The single mapping pair a chunk holds, parsed now or reused from an earlier pass. */
  private pairAt(text: string, chunk: Chunk): Pair | undefined {
    const source = text.slice(chunk.start, chunk.end);
    const candidates = this.cache.get(source) ?? [];
    const reusable = candidates.find((candidate) => candidate.lastUsed !== this.pass);
    if (reusable) {
      shift(reusable.pair, chunk.start - reusable.base);
      reusable.base = chunk.start;
      reusable.lastUsed = this.pass;
      return reusable.pair;
    }
    const parsed = parseDocument(source, YAML_OPTIONS);
    if (parsed.errors.length > 0 || parsed.warnings.length > 0 || !isMap(parsed.contents) || parsed.contents.flow || parsed.contents.items.length !== 1) return undefined;
    const pair = parsed.contents.items[0] as Pair;
    // Only a plain key at the chunk's own indentation; anything else is left to the full parse.
    if (!isScalar(pair.key) || !pair.key.range || pair.key.range[0] !== firstContentOffset(source)) return undefined;
    shift(pair, chunk.start);
    candidates.push({ pair, base: chunk.start, lastUsed: this.pass });
    this.cache.set(source, candidates);
    return pair;
  }

  private abandon(): undefined {
    this.evictUnused();
    return undefined;
  }

  private evictUnused(): void {
    for (const [source, candidates] of this.cache) {
      const kept = candidates.filter((candidate) => candidate.lastUsed === this.pass);
      if (kept.length === 0) this.cache.delete(source);
      else this.cache.set(source, kept);
    }
  }
}

function hasDuplicateKeys(top: YAMLMap): boolean {
  const maps = [top, ...top.items.map((pair) => pair.value).filter((value): value is YAMLMap => isMap(value))];
  return maps.some((map) => new Set(map.items.map((pair) => keyText(pair as Pair))).size !== map.items.length);
}
