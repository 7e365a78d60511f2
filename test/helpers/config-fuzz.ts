// A seeded config fuzzer (issue 19): mutates the config fixtures the ways hostile or half-typed text
// looks, and checks what must hold for any text the editor or `et config check` may be handed:
//   - the analysis never throws;
//   - every issue lies inside the document, its start before its end (and so every diagnostic);
//   - the incremental parse the language server uses after an edit gives the full parse's issues;
//   - one analysis takes at most MAX_ANALYSIS_MS.
// Deterministic: case N of seed S is always the same text, so a failure is reproduced by its numbers
// (`npm run fuzz -- --seed S --case N`).
import { isDeepStrictEqual } from 'node:util';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeConfig, type ConfigAnalysis } from '../../server/src/config/analyze';
import { IncrementalYamlParser } from '../../server/src/config/incremental-yaml';
import { LineIndex } from '../../server/src/config/line-index';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { CONFIG_FIXTURES, FIXTURE_ENVIRONMENT, fixtureNames } from './config-fixtures';

export const MAX_ANALYSIS_MS = 500;

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same stream everywhere. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

function integer(random: Random, below: number): number {
  return Math.floor(random() * below);
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[integer(random, items.length)];
}

// Pieces of YAML (and of configs) that change how the text around them parses.
const SYNTAX = [':', ': ', '-', '- ', ' ', '  ', '\n', '\n  ', '#', '"', "'", '[', ']', '{', '}', ',', '?', '|', '>', '!', '!!str ', '%YAML 1.1\n', '---\n', '...\n', '&a ', '*a', '<<: *a\n', '<<: ', '@', '`', '\\', '$', '${X}'];
const NAMES = ['providers', 'models', 'roles', 'defaults', 'specialists', 'model', 'fallbacks', 'fallback', 'pool', 'type', 'base_url', 'api_key', 'auth_type', 'headers', 'context_window', 'pricing', '__proto__', 'constructor', 'prototype', 'toString', 'mayor', 'witnes', '<<'];
const UNICODE = ['\u00A0', '\u200B', '\u2028', '\u2029', '\uFEFF', '\uD800', '\uDC00', '\uD83D\uDE00', 'e\u0301', '\u202E', '\u3000', '\u0085', '\u000B', '\u000C', '\u0000', '\u007F', '\uFFFF', '中文'];
const NUMBERS = ['1e400', '-1e400', '1e-400', '9'.repeat(400), '0x' + 'f'.repeat(40), '.inf', '-.Inf', '.nan', '1_000', '0o777', '-0', '2.5e9', '0.1e-3', '+12', '9007199254740993'];

interface Mutation {
  name: string;
  apply(text: string, random: Random): string;
}

function at(text: string, random: Random): number {
  return integer(random, text.length + 1);
}

const MUTATIONS: readonly Mutation[] = [
  { name: 'delete', apply: (text, random) => { const start = at(text, random); return text.slice(0, start) + text.slice(start + 1 + integer(random, 12)); } },
  { name: 'duplicate', apply: (text, random) => { const start = at(text, random); const span = text.slice(start, start + 1 + integer(random, 40)); return text.slice(0, start) + span + text.slice(start); } },
  { name: 'insert-syntax', apply: (text, random) => { const where = at(text, random); return text.slice(0, where) + pick(random, SYNTAX) + text.slice(where); } },
  { name: 'insert-name', apply: (text, random) => { const where = at(text, random); return `${text.slice(0, where)}${pick(random, NAMES)}${pick(random, [':', ': ', ': x\n', ''])}${text.slice(where)}`; } },
  { name: 'replace-char', apply: (text, random) => { const where = integer(random, text.length); return text.slice(0, where) + String.fromCharCode(32 + integer(random, 95)) + text.slice(where + 1); } },
  {
    name: 'swap-lines',
    apply: (text, random) => {
      const lines = text.split('\n');
      const a = integer(random, lines.length);
      const b = integer(random, lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    },
  },
  { name: 'unicode', apply: (text, random) => { const where = at(text, random); const piece = random() < 0.5 ? pick(random, UNICODE) : String.fromCharCode(integer(random, 0x10000)); return text.slice(0, where) + piece + text.slice(where); } },
  {
    name: 'deep-nesting',
    apply: (text, random) => {
      const depth = 1 + integer(random, 90);
      const where = at(text, random);
      const nested = pick(random, [
        () => '['.repeat(depth) + ']'.repeat(depth),
        () => '{a: '.repeat(depth) + '1' + '}'.repeat(depth),
        () => '\n' + Array.from({ length: depth }, (_, level) => `${' '.repeat(level + 2)}k${level}:`).join('\n') + ' 1\n',
        () => '- '.repeat(depth) + 'x',
        () => '\n' + Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}- `).join('\n') + 'x\n',
      ])();
      return text.slice(0, where) + nested + text.slice(where);
    },
  },
  {
    name: 'huge-number',
    apply: (text, random) => {
      const numbers = [...text.matchAll(/-?\d+(?:\.\d+)?/g)];
      if (numbers.length === 0) return text + `\nx: ${pick(random, NUMBERS)}\n`;
      const match = pick(random, numbers);
      const start = match.index ?? 0;
      return text.slice(0, start) + pick(random, NUMBERS) + text.slice(start + match[0].length);
    },
  },
  {
    name: 'tabs',
    apply: (text, random) => {
      if (random() < 0.5) return text.replace(/^ {2}/gm, () => (random() < 0.3 ? '\t' : '  '));
      const where = at(text, random);
      return `${text.slice(0, where)}\t${text.slice(where)}`;
    },
  },
  { name: 'crlf', apply: (text, random) => (random() < 0.7 ? text.replace(/\r?\n/g, '\r\n') : text.replace(/\n/g, () => pick(random, ['\n', '\r\n', '\r']))) },
  { name: 'bom', apply: (text, random) => (random() < 0.7 ? `\uFEFF${text}` : text.replace('\n', '\n\uFEFF')) },
  {
    name: 'alias',
    apply: (text, random) => {
      const lines = text.split('\n');
      const line = integer(random, lines.length);
      lines[line] = lines[line].replace(/: (\S)/, pick(random, [': &a $1', ': *a', ': *nope', ': &a\n  <<: *a\n  x: $1']));
      return lines.join('\n');
    },
  },
  { name: 'truncate', apply: (text, random) => text.slice(0, at(text, random)) },
];

export interface FuzzCase {
  /** Which case of the seed: with the seed, all it takes to reproduce it. */
  index: number;
  /** The fixture it started from, relative to the fixtures folder. */
  base: string;
  mutations: string[];
  text: string;
}

export interface Corpus {
  name: string;
  text: string;
}

/** The config fixtures and the example config: what is mutated. */
export function loadCorpus(): Corpus[] {
  const fixtures = (['valid', 'invalid'] as const).flatMap((kind) =>
    fixtureNames(kind).map((name) => ({ name: `${kind}/${name}`, text: readFileSync(path.join(CONFIG_FIXTURES, kind, name), 'utf8') })),
  );
  const example = path.join(CONFIG_FIXTURES, '..', '..', '..', 'electrictown.yaml');
  return [...fixtures, { name: 'electrictown.yaml', text: readFileSync(example, 'utf8') }];
}

// What typing does to a config; the other mutations (tabs, CRLF, a BOM, anchors…) send any text to the
// full parse, so half the cases keep to these to hold the incremental parse to the full one often.
const EDITS = new Set(['delete', 'duplicate', 'insert-name', 'replace-char', 'swap-lines', 'huge-number', 'truncate']);

/** Case `index` of `seed`: a fixture with one or two edits, or one to four mutations of any kind. Pure. */
export function fuzzCase(seed: number, index: number, corpus: readonly Corpus[]): FuzzCase {
  const random = prng((Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);
  const base = pick(random, corpus);
  const editsOnly = random() < 0.5;
  const choices = editsOnly ? MUTATIONS.filter((mutation) => EDITS.has(mutation.name)) : MUTATIONS;
  let text = base.text;
  const mutations: string[] = [];
  const count = 1 + integer(random, editsOnly ? 2 : 4);
  for (let step = 0; step < count; step++) {
    const mutation = pick(random, choices);
    text = mutation.apply(text, random);
    mutations.push(mutation.name);
  }
  return { index, base: base.name, mutations, text };
}

/** One analysis and how long it took; a slow one is measured again, so a pause of the machine is not taken for the analyser's. */
function timedAnalysis(run: () => ConfigAnalysis): { analysis: ConfigAnalysis; ms: number } {
  let best = Number.POSITIVE_INFINITY;
  let analysis: ConfigAnalysis | undefined;
  for (let attempt = 0; attempt < 3 && best > MAX_ANALYSIS_MS; attempt++) {
    const started = performance.now();
    analysis = run();
    best = Math.min(best, performance.now() - started);
  }
  return { analysis: analysis!, ms: best };
}

export type Analyze = typeof analyzeConfig;

/** What is wrong with the analysis of a case's text; empty when every property holds. `analyze` is the analyser under test. */
export function checkCase(fuzz: FuzzCase, parser: IncrementalYamlParser, analyze: Analyze = analyzeConfig): { problems: string[]; slowestMs: number } {
  const problems: string[] = [];
  const { text } = fuzz;
  let full: { analysis: ConfigAnalysis; ms: number };
  let incremental: { analysis: ConfigAnalysis; ms: number };
  try {
    full = timedAnalysis(() => analyze(text, FIXTURE_ENVIRONMENT));
    // The parser has seen earlier texts from the same fixture, as the server's has seen earlier edits.
    incremental = timedAnalysis(() => analyze(text, FIXTURE_ENVIRONMENT, parser));
  } catch (error) {
    return { problems: [`the analysis threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`], slowestMs: 0 };
  }
  const lines = new LineIndex(text);
  const lastLine = lines.positionAt(text.length).line;
  for (const issue of full.analysis.issues) {
    const where = `[${issue.code}] ${issue.start}-${issue.end}`;
    if (!Number.isInteger(issue.start) || !Number.isInteger(issue.end)) problems.push(`${where}: offsets are not whole numbers`);
    if (issue.start < 0 || issue.end > text.length) problems.push(`${where}: outside the document (length ${text.length})`);
    if (issue.start > issue.end) problems.push(`${where}: starts after it ends`);
    const { range } = toDiagnostic(issue, lines);
    const order = range.start.line - range.end.line || range.start.character - range.end.character;
    if (order > 0 || range.end.line > lastLine) problems.push(`${where}: diagnostic range ${JSON.stringify(range)} is not inside the document`);
  }
  if (!isDeepStrictEqual(incremental.analysis.issues, full.analysis.issues)) {
    problems.push(`the incremental parse's issues differ from the full parse's:\n  full:        ${JSON.stringify(full.analysis.issues)}\n  incremental: ${JSON.stringify(incremental.analysis.issues)}`);
  }
  const slowestMs = Math.max(full.ms, incremental.ms);
  if (slowestMs > MAX_ANALYSIS_MS) problems.push(`an analysis took ${slowestMs.toFixed(0)} ms (limit ${MAX_ANALYSIS_MS} ms)`);
  return { problems, slowestMs };
}

export interface FuzzFailure {
  fuzz: FuzzCase;
  problems: string[];
}

export interface FuzzReport {
  cases: number;
  failures: FuzzFailure[];
  slowestMs: number;
  /** The case that took longest, to time again alone (`npm run fuzz -- --case N`). */
  slowestCase: number;
  /** Cases the incremental parser took its fast path for, as the editor does for most edits. */
  incrementalCases: number;
}

/** Runs cases `from`…`from + count - 1` of `seed`; one incremental parser per fixture, fed edit after edit. */
export function runFuzz(seed: number, count: number, options: { from?: number; onCase?: (index: number) => void } = {}): FuzzReport {
  const corpus = loadCorpus();
  const parsers = new Map<string, IncrementalYamlParser>();
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  let slowestCase = options.from ?? 0;
  let incrementalCases = 0;
  const from = options.from ?? 0;
  for (let index = from; index < from + count; index++) {
    const fuzz = fuzzCase(seed, index, corpus);
    let parser = parsers.get(fuzz.base);
    if (!parser) {
      parser = new IncrementalYamlParser();
      parsers.set(fuzz.base, parser);
    }
    if (new IncrementalYamlParser().parse(fuzz.text)) incrementalCases++;
    const checked = checkCase(fuzz, parser);
    if (checked.slowestMs > slowestMs) {
      slowestMs = checked.slowestMs;
      slowestCase = index;
    }
    if (checked.problems.length > 0) failures.push({ fuzz, problems: checked.problems });
    options.onCase?.(index);
  }
  return { cases: count, failures, slowestMs, slowestCase, incrementalCases };
}

/** A failure as a reader needs it to reproduce and fix: seed, case, how the text was made, the text. */
export function describeFailure(seed: number, failure: FuzzFailure): string {
  const { fuzz, problems } = failure;
  const shown = fuzz.text.length > 2000 ? `${JSON.stringify(fuzz.text.slice(0, 2000))}… (${fuzz.text.length} characters)` : JSON.stringify(fuzz.text);
  return [`seed ${seed}, case ${fuzz.index}: ${fuzz.base} after ${fuzz.mutations.join(', ')}`, ...problems.map((problem) => `  - ${problem}`), `  text: ${shown}`].join('\n');
}
