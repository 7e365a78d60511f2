// The map as the mayor reads it: files in ranked order, each with its definitions' signatures (a
// method under its class), cut to a token budget, ending with what was left out. Once one file's
// symbols no longer fit, the files after it are listed by path only, so a file never shows more than
// a better-ranked one. Tokens are estimated as the providers estimate them (bytes / 4). Pure.
import { estimateTokens } from '../providers/token-estimate';
import { referenceGraph, rankFiles } from './rank';
import type { Definition, IndexedFile, ProjectIndex } from './types';

export const DEFAULT_MAP_TOKENS = 4096;
/** Past this, a file shows the definitions other files use most: a big file must not take the budget of many. */
const MAX_DEFINITIONS_PER_FILE = 20;
const BYTES_PER_TOKEN = 4;

/** `mentioned`: names the task speaks of; a large file shows those definitions first, whatever uses them. */
export function renderMap(index: ProjectIndex, ranked: readonly string[], maxTokens: number, mentioned: readonly string[] = []): string {
  const wanted = new Set(mentioned);
  const byPath = new Map(index.files.map((file) => [file.path, file]));
  const order = ranked.filter((path) => byPath.has(path));
  const budget = maxTokens * BYTES_PER_TOKEN;
  // Room for the closing lines as long as they can get: every file left out.
  const reserve = bytesOf(closingLines(index, order.length));
  const usedBy = usesAcrossFiles(index);
  const lines: string[] = [];
  let used = 0;
  let withSymbols = true;
  let shown = 0;
  for (const path of order) {
    const file = byPath.get(path) as IndexedFile;
    let block = withSymbols ? fileBlock(file, usedBy, wanted) : [path];
    if (used + bytesOf(block) + reserve > budget && block.length > 1) {
      withSymbols = false;
      block = [path];
    }
    if (used + bytesOf(block) + reserve > budget) break;
    lines.push(...block);
    used += bytesOf(block);
    shown++;
  }
  const text = joinLines([...lines, ...closingLines(index, order.length - shown)]);
  // Only a budget smaller than the closing lines themselves gets here.
  return estimateTokens(text) <= maxTokens ? text : joinLines(lines);
}

/** The part of the map about these files: their symbols, then the files they use and that use them. */
export function mapForFiles(index: ProjectIndex, files: readonly string[], maxTokens: number, mentioned: readonly string[] = []): string {
  const graph = referenceGraph(index, { files: [...files], identifiers: [] });
  const wanted = new Set(files);
  const neighbours = new Set<string>(files);
  for (const [from, targets] of graph.edges) {
    const fromWanted = wanted.has(graph.paths[from]);
    for (const to of targets.keys()) {
      if (fromWanted) neighbours.add(graph.paths[to]);
      if (wanted.has(graph.paths[to])) neighbours.add(graph.paths[from]);
    }
  }
  const ranked = rankFiles(index, { files: [...files], identifiers: [] }).filter((path) => neighbours.has(path));
  const part: ProjectIndex = { ...index, files: index.files.filter((file) => neighbours.has(file.path)), omitted: 0, notes: [] };
  return renderMap(part, ranked, maxTokens, mentioned);
}

function fileBlock(file: IndexedFile, usedBy: ReadonlyMap<string, number>, mentioned: ReadonlySet<string>): string[] {
  const shown = chooseDefinitions(file.definitions, usedBy, mentioned);
  const lines = [file.path];
  for (const definition of shown) {
    const nested = shown.some((outer) => outer !== definition && outer.line <= definition.line && outer.endLine >= definition.endLine && definition.parent === outer.name);
    lines.push(`${nested ? '    ' : '  '}${definition.signature || `${definition.kind} ${definition.name}`}`);
  }
  if (shown.length < file.definitions.length) lines.push(`  … ${count(file.definitions.length - shown.length)} more definitions`);
  return lines;
}

/** All of a file's definitions, or the ones the task names and then those other files use most, in the file's order. */
function chooseDefinitions(definitions: readonly Definition[], usedBy: ReadonlyMap<string, number>, mentioned: ReadonlySet<string>): Definition[] {
  if (definitions.length <= MAX_DEFINITIONS_PER_FILE) return [...definitions];
  const chosen = new Set(
    definitions
      .map((definition, at) => ({ definition, at, named: mentioned.has(definition.name) ? 1 : 0, uses: usedBy.get(definition.name) ?? 0 }))
      .sort((a, b) => b.named - a.named || b.uses - a.uses || a.at - b.at)
      .slice(0, MAX_DEFINITIONS_PER_FILE)
      .map(({ definition }) => definition),
  );
  return definitions.filter((definition) => chosen.has(definition));
}

/** How many files use each name. */
function usesAcrossFiles(index: ProjectIndex): Map<string, number> {
  const uses = new Map<string, number>();
  for (const file of index.files) {
    if (file.definitions.length <= MAX_DEFINITIONS_PER_FILE) continue;
    for (const definition of file.definitions) uses.set(definition.name, 0);
  }
  if (uses.size === 0) return uses;
  for (const file of index.files) for (const name of file.references) if (uses.has(name)) uses.set(name, (uses.get(name) as number) + 1);
  return uses;
}

function closingLines(index: ProjectIndex, notShown: number): string[] {
  const lines = notShown > 0 ? [`… ${count(notShown)} more files not shown`] : [];
  return [...lines, ...index.notes.map((note) => `… ${note}`)];
}

function bytesOf(lines: readonly string[]): number {
  let bytes = 0;
  for (const line of lines) bytes += Buffer.byteLength(line, 'utf8') + 1;
  return bytes;
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}
