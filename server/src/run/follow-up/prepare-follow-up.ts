// Everything a refinement of a finished run needs before its round starts (the I/O of a follow-up):
// the run found and checked (refused while it runs, or when interrupted or cancelled), its settings
// under its config as it is now, what its workers were sent and answered, the summary and the proposals
// still pending of the round that ended, and the record the new round starts from.
import { readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { RunRecord } from '../../protocol';
import type { ChatMessage } from '../../providers/language-model';
import { secretValues } from '../../config/secret-names';
import { reopenedSettings, runFolderFor, runProtects, runRouting, ResumeError, type PreparedResume, type ResumeSetup } from '../prepare-run';
import { readReviewState, REVIEW_FILE } from '../review-state';
import { RunFolder } from '../run-folder';
import { processAlive, readRecordFile } from '../run-store';
import { writeAtomically } from '../write-files';
import { FollowUpRound } from './follow-up-round';
import { pendingProposals } from './pending-proposals';
import { setRoundFilesAside } from './round-files';
import { currentRound, followUpRecord, FollowUpError, refusalToRefine } from './round-record';

export interface FollowUpSetup extends ResumeSetup {
  refinement: string;
  /** Run the gates after this round (`--iterate`), whether or not the run did. */
  iterate?: boolean;
  /** Show the round's plan for approval (`--approve-plan`, `electrictown.approvePlan`), whether or not the run did. */
  approvePlan?: boolean;
}

/** The ended round's summary: its text, for the mayor, and where it is set aside (`_synthesis.md` is the new round's). */
async function endedSummary(record: RunRecord, directory: string): Promise<{ text: string | undefined; name: string | undefined }> {
  if (record.synthesis === undefined) return { text: undefined, name: undefined };
  const text = await readFile(path.join(directory, record.synthesis), 'utf8').catch(() => undefined);
  return text === undefined ? { text: undefined, name: undefined } : { text, name: `_synthesis_round${currentRound(record)}.md` };
}

/**
 * What changes in the run folder as the round starts (not before: a round refused after it was
 * prepared leaves the folder as it was): the summary, gate logs and diffs set aside, and the user's decisions forgotten —
 * the new round's proposals, those made from pending ones among them, are all the user's to decide again.
 */
function openRound(record: RunRecord, directory: string, summary: string | undefined): () => Promise<void> {
  return async () => {
    if (summary !== undefined && record.synthesis !== undefined) await rename(path.join(directory, record.synthesis), path.join(directory, summary));
    await setRoundFilesAside(directory, currentRound(record));
    const state = await readReviewState(directory).catch(() => undefined);
    if (state && Object.keys(state.files).length > 0) await writeAtomically(path.join(directory, REVIEW_FILE), `${JSON.stringify({ ...state, files: {} }, null, 2)}\n`, false);
  };
}

export async function prepareFollowUp(setup: FollowUpSetup): Promise<PreparedResume> {
  const refinement = setup.refinement.trim();
  if (refinement === '') throw new FollowUpError('the refinement is empty: say what to change');
  const directory = await runFolderFor(setup);
  const record = await readRecordFile(directory).catch((error: unknown) => {
    throw new ResumeError(`${error instanceof Error ? error.message : String(error)}; the run cannot be refined from it`);
  });
  const refusal = refusalToRefine(record, processAlive);
  if (refusal !== undefined) throw new FollowUpError(refusal);
  const { config, sha256, settings, warnings } = await reopenedSettings(record, setup);
  const folder = await RunFolder.open(directory);
  const [answers, prompts] = await Promise.all([folder.answers(), folder.prompts()]);
  const pending = await pendingProposals(record.files.proposed ?? [], directory);
  const summary = await endedSummary(record, directory);
  const configFile = { path: record.config.path, sha256 };
  const next = followUpRecord(record, { refinement, pid: process.pid, now: new Date(), config: configFile, flags: settings.flags, synthesis: summary.name });
  // Proposals still pending stay the run's until this round proposes them again (with its changes, if any).
  if (pending.length > 0) next.files.proposed = (record.files.proposed ?? []).filter((file) => pending.some((open) => open.path === file.path));
  // A copy: the next record shares the ended one's totals and lists, which the round goes on changing.
  const round = new FollowUpRound({ refinement, summary: summary.text, answers, prompts: prompts as ReadonlyMap<number, readonly ChatMessage[]>, pending, earlier: structuredClone(record), open: openRound(record, directory, summary.name) });
  const { ledger, router } = runRouting(record, config, setup, directory);
  return {
    input: { id: record.id, settings, config, configFile, folder, followUp: { record: next, round }, protect: runProtects(record.config.path, path.dirname(directory)), secrets: secretValues(config, setup.environment) },
    router,
    ledger,
    logDirectory: path.dirname(directory),
    warnings,
  };
}
