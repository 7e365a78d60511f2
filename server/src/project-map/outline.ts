// One file's outline, for files too large to hand a worker whole: its definitions with their lines,
// and the source of the definitions around given lines (a build error's, say). The parser loads on
// first use.
import { languageOf, type LanguageId } from './languages';
import type { Definition } from './types';

/** Lines shown around a line that no definition encloses. */
const CONTEXT_LINES = 2;

export async function outlineOf(content: string, language: LanguageId): Promise<Definition[]> {
  const { fileSymbols } = await import('./parse-file');
  return (await fileSymbols(content, language))?.definitions ?? [];
}

/** The file's definitions, by its extension; none for a language the map does not parse. */
export async function definitionsOf(path: string, content: string): Promise<Definition[]> {
  const language = languageOf(path);
  return language ? outlineOf(content, language) : [];
}

/**
 * The source of the innermost definition around each line (1-based), in file order, each block
 * headed `@@ lines 12-30 @@`; a line outside every definition comes with two lines either side.
 */
export async function enclosingDefinitions(path: string, content: string, lines: readonly number[]): Promise<string> {
  const definitions = await definitionsOf(path, content);
  const fileLines = content.split('\n');
  const last = content.endsWith('\n') ? fileLines.length - 1 : fileLines.length;
  const ranges = lines
    .filter((line) => line >= 1 && line <= last)
    .map((line) => innermost(definitions, line) ?? { line: Math.max(1, line - CONTEXT_LINES), endLine: Math.min(last, line + CONTEXT_LINES) });
  return mergeRanges(ranges)
    .map(({ line, endLine }) => `@@ lines ${line}-${endLine} @@\n${fileLines.slice(line - 1, endLine).join('\n')}\n`)
    .join('');
}

function innermost(definitions: readonly Definition[], line: number): { line: number; endLine: number } | undefined {
  let best: Definition | undefined;
  for (const definition of definitions) {
    if (definition.line <= line && line <= definition.endLine && (!best || definition.endLine - definition.line < best.endLine - best.line)) best = definition;
  }
  return best;
}

/** Overlapping or touching ranges as one, in order. Exported for tests. */
export function mergeRanges(ranges: readonly { line: number; endLine: number }[]): { line: number; endLine: number }[] {
  const merged: { line: number; endLine: number }[] = [];
  for (const range of [...ranges].sort((a, b) => a.line - b.line)) {
    const previous = merged[merged.length - 1];
    if (previous && range.line <= previous.endLine + 1) previous.endLine = Math.max(previous.endLine, range.endLine);
    else merged.push({ ...range });
  }
  return merged;
}
