// The run's summary for the user: the mayor synthesizes it from each subtask's outline (its prose and
// file list, not the files), then the refinery polishes it. Text only. A failure of either is a warning,
// never the run's failure: the files are what the run is for.
import type { PhaseName, PhaseRecord } from '../protocol';
import type { Chain } from '../router/chain';
import { polishMessages, synthesizeMessages, type SubtaskResult } from './messages';
import { messageOf, type WorkerContext } from './subtask-worker';

export interface SummaryContext extends WorkerContext {
  inPhase<T>(name: PhaseName, work: (phase: PhaseRecord) => Promise<T>): Promise<T>;
}

/** The summary's text, or undefined when the mayor could not write one. */
export async function writeSummary(context: SummaryContext, results: readonly SubtaskResult[], chains: { supervisor: Chain; refinery: () => Chain }): Promise<string | undefined> {
  const { flags, record } = context;
  let text: string;
  try {
    text = await context.inPhase('synthesize', async (phase) => {
      const chain = chains.supervisor;
      const routed = await context.call({ purpose: 'synthesize', role: flags.role, chain, messages: synthesizeMessages(record.task, results, chain.systemPrompt) }, phase);
      context.decide('synthesize', flags.role, 'summarise the run for the user', `ask ${routed.entry.reference}`, 'written', undefined, routed.result.usage.outputTokens);
      return routed.result.text.trim();
    });
  } catch (error) {
    if (context.signal.aborted) throw error;
    context.warn(`no summary: ${messageOf(error)}`);
    return undefined;
  }
  if (!flags.refinery || context.stopped) return text;
  try {
    return await context.inPhase('polish', async (phase) => {
      const chain = chains.refinery();
      const routed = await context.call({ purpose: 'polish', role: 'refinery', chain, messages: polishMessages(record.task, text, chain.systemPrompt) }, phase);
      context.decide('polish', 'refinery', 'polish the summary', `ask ${routed.entry.reference}`, 'polished', undefined, routed.result.usage.outputTokens);
      return routed.result.text.trim() || text;
    });
  } catch (error) {
    if (context.signal.aborted) throw error;
    context.warn(`the summary is unpolished: ${messageOf(error)}`);
    return text;
  }
}
