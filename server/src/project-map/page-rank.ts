// PageRank by power iteration over a weighted directed graph, optionally personalised: the random
// surfer restarts (and leaves dead ends) towards the personalised nodes instead of anywhere. As
// networkx's pagerank, which aider's repo map uses. Pure.

export type WeightedEdges = ReadonlyMap<number, ReadonlyMap<number, number>>;

export interface PageRankOptions {
  damping?: number;
  maxIterations?: number;
  /** Stop when the ranks move less than this, per node. */
  tolerance?: number;
}

export function pageRank(size: number, edges: WeightedEdges, personalization?: ReadonlyMap<number, number>, options: PageRankOptions = {}): Float64Array {
  const damping = options.damping ?? 0.85;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  if (size === 0) return new Float64Array(0);
  const restart = restartVector(size, personalization);
  const outWeight = new Float64Array(size);
  for (const [from, targets] of edges) for (const weight of targets.values()) outWeight[from] += weight;
  let rank = Float64Array.from(restart);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const next = new Float64Array(size);
    let dangling = 0;
    for (let node = 0; node < size; node++) if (outWeight[node] === 0) dangling += rank[node];
    for (const [from, targets] of edges) {
      if (outWeight[from] === 0) continue;
      const share = (damping * rank[from]) / outWeight[from];
      for (const [to, weight] of targets) next[to] += share * weight;
    }
    const spread = damping * dangling + (1 - damping);
    let change = 0;
    for (let node = 0; node < size; node++) {
      next[node] += spread * restart[node];
      change += Math.abs(next[node] - rank[node]);
    }
    rank = next;
    if (change < size * tolerance) break;
  }
  return rank;
}

function restartVector(size: number, personalization: ReadonlyMap<number, number> | undefined): Float64Array {
  const vector = new Float64Array(size);
  let total = 0;
  for (const [node, weight] of personalization ?? []) {
    if (weight > 0 && node >= 0 && node < size) {
      vector[node] += weight;
      total += weight;
    }
  }
  if (total === 0) return vector.fill(1 / size);
  for (let node = 0; node < size; node++) vector[node] /= total;
  return vector;
}
