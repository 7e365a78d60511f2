// Which files matter for a task, after aider's repo map: a graph where file A points at file B when A
// uses a name B defines, weighted as aider weighs it, ranked by PageRank personalised towards the
// files the task names, the files defining names it mentions, and the files whose name is one of
// them. The order: the files the task names; the files defining the names it mentions; the files the
// named ones use, the most used first; then the rest by rank. Pure.
import { posix } from 'node:path';
import { pageRank } from './page-rank';
import type { Focus, ProjectIndex } from './types';

/**
 * A name defined in more files than this (`get`, `String`, `init`) cannot say which one a use means,
 * and would make the graph grow with the square of the project; aider only lowers its weight.
 */
const MAX_DEFINING_FILES = 25;

export interface ReferenceGraph {
  paths: string[];
  /** from → to → weight */
  edges: Map<number, Map<number, number>>;
  definers: Map<string, number[]>;
}

export function referenceGraph(index: ProjectIndex, focus: Focus = { files: [], identifiers: [] }): ReferenceGraph {
  const paths = index.files.map((file) => file.path);
  const definers = new Map<string, number[]>();
  for (const [fileIndex, file] of index.files.entries()) {
    for (const name of new Set(file.definitions.map((definition) => definition.name))) {
      const files = definers.get(name);
      if (files) files.push(fileIndex);
      else definers.set(name, [fileIndex]);
    }
  }
  const focusFiles = new Set(focus.files);
  const mentioned = new Set(focus.identifiers);
  const weightOf = new Map<string, number>();
  const edges = new Map<number, Map<number, number>>();
  for (const [from, file] of index.files.entries()) {
    const fromFocus = focusFiles.has(file.path);
    for (const name of file.references) {
      const targets = definers.get(name);
      if (!targets || targets.length > MAX_DEFINING_FILES) continue;
      let weight = weightOf.get(name);
      if (weight === undefined) {
        weight = nameWeight(name, targets.length, mentioned.has(name));
        weightOf.set(name, weight);
      }
      if (fromFocus) weight *= 50;
      for (const to of targets) {
        if (to === from) continue;
        let out = edges.get(from);
        if (!out) edges.set(from, (out = new Map()));
        out.set(to, (out.get(to) ?? 0) + weight);
      }
    }
  }
  return { paths, edges, definers };
}

/** aider's weights: a mentioned name ×10, a long compound name ×10, a private one ×0.1, a common one ×0.1. */
function nameWeight(name: string, definingFiles: number, mentioned: boolean): number {
  let weight = 1;
  if (mentioned) weight *= 10;
  const compound = /[_-]/.test(name) || (/[a-z]/.test(name) && /[A-Z]/.test(name));
  if (compound && name.length >= 8) weight *= 10;
  if (name.startsWith('_')) weight *= 0.1;
  if (definingFiles > 5) weight *= 0.1;
  return weight;
}

export function rankFiles(index: ProjectIndex, focus: Focus): string[] {
  const graph = referenceGraph(index, focus);
  const position = new Map(graph.paths.map((path, fileIndex) => [path, fileIndex]));
  const named = focus.files.filter((path, at) => position.has(path) && focus.files.indexOf(path) === at);
  const weights = personalization(graph, named, focus.identifiers);
  const rank = pageRank(graph.paths.length, graph.edges, weights);
  // Files the task's rank does not reach (all 0) keep the project's own order: its central files first.
  const overall = weights.size > 0 ? pageRank(graph.paths.length, graph.edges) : rank;
  const byRank = (a: number, b: number) => rank[b] - rank[a] || overall[b] - overall[a] || (graph.paths[a] < graph.paths[b] ? -1 : 1);

  const defining = [...new Set(focus.identifiers.flatMap((name) => specificDefiners(graph, name)))].sort(byRank);
  // How much the named files use each file: a long, specific name counts for more than `get`.
  const use = new Map<number, number>();
  for (const path of named) for (const [to, weight] of graph.edges.get(position.get(path) as number) ?? []) use.set(to, (use.get(to) ?? 0) + weight);
  const used = [...use.keys()].sort((a, b) => (use.get(b) as number) - (use.get(a) as number) || byRank(a, b));
  const everyFile = graph.paths.map((_, fileIndex) => fileIndex).sort(byRank);
  // A Set keeps the first place each path is given.
  const order = new Set<string>(named);
  for (const fileIndex of [...defining, ...used, ...everyFile]) order.add(graph.paths[fileIndex]);
  return [...order];
}

function personalization(graph: ReferenceGraph, named: readonly string[], identifiers: readonly string[]): Map<number, number> {
  const weights = new Map<number, number>();
  const namedFiles = new Set(named);
  const mentioned = new Set(identifiers);
  for (const [fileIndex, path] of graph.paths.entries()) {
    const basename = posix.basename(path);
    const stem = basename.replace(/\.[^.]*$/, '');
    const pathNamesIt = path.split('/').some((part) => mentioned.has(part)) || mentioned.has(stem);
    if (namedFiles.has(path) || pathNamesIt) weights.set(fileIndex, 1);
  }
  for (const name of identifiers) for (const fileIndex of specificDefiners(graph, name)) weights.set(fileIndex, 1);
  return weights;
}

/** The files defining a name, unless so many do that the name points at none of them. */
function specificDefiners(graph: ReferenceGraph, name: string): number[] {
  const files = graph.definers.get(name) ?? [];
  return files.length > MAX_DEFINING_FILES ? [] : files;
}
