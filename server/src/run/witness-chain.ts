// Which models review an answer: the witness's own, but never the model that wrote the answer when the
// config offers another — then the supervisor's, the refinery's, or any alias's model instead, said in
// a warning; the same model only when there is no other, with a warning too. Pure.
import type { ElectrictownConfig } from '../config/schema';
import { chainForModel, chainForRole, sameModel, type Chain, type ChainEntry } from '../router/chain';

export interface WitnessChoice {
  chain: Chain;
  warning: string | undefined;
}

/** A chain's entries, or none when it cannot be resolved (a role the config leaves without a model). */
function entriesOf(chain: () => Chain): ChainEntry[] {
  try {
    return chain().entries;
  } catch {
    return [];
  }
}

export function chooseWitnessChain(config: ElectrictownConfig, supervisorRole: string, author: ChainEntry): WitnessChoice {
  const witness = chainForRole(config, 'witness');
  const others = witness.entries.filter((entry) => !sameModel(entry, author));
  if (others.length > 0) return { chain: { ...witness, entries: others }, warning: undefined };
  const candidates = [
    ...entriesOf(() => chainForRole(config, supervisorRole)),
    ...entriesOf(() => chainForRole(config, 'refinery')),
    ...Object.keys(config.models ?? {}).flatMap((alias) => entriesOf(() => chainForModel(config, alias))),
  ];
  const other = candidates.find((entry) => !sameModel(entry, author));
  if (other) {
    return { chain: { ...witness, entries: [other] }, warning: `the witness's models are all ${author.reference}, which wrote the answer; ${other.reference} reviews it instead (set roles.witness to a different model)` };
  }
  return { chain: witness, warning: `the witness reviews with ${author.reference}, the model that wrote the answer: the config offers no other model` };
}
