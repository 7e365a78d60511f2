// The user's decisions about proposed files, carried out: accept (one edit per decision, checked as
// accept-changes.ts does), discard, and an accept undone (its files back in Changes). Each decision is
// kept in the Changes view's model and told to the server, which keeps it in the run folder and moves
// the witness's findings with it: on the proposal while pending, on the real file once accepted.
import * as vscode from 'vscode';
import type { CheckpointFileParams, ProposalDecision } from '../../../server/src/protocol';
import type { ServerConnection } from '../connection/server-connection';
import { acceptEntries, type FileToWrite } from './accept-changes';
import { acceptMessage, listed } from './accept-report';
import { AcceptedEdits } from './accepted-edits';
import type { ChangesModel } from './changes-model';
import { textSha256 } from './checkpoints';
import type { PendingEntry } from './proposal-checks';
import { showDiff } from './changes-tree';

export interface AcceptResult {
  /** Every file of the decision went in. */
  accepted: boolean;
  /** What happened, as the notification says it (also when `quiet`). */
  message: string;
}

const STATES: readonly ProposalDecision[] = ['pending', 'accepted', 'discarded'];
/** JSON-RPC's code for a method the server does not have. */
const METHOD_NOT_FOUND = -32601;

const firstLine = (text: string) => text.split('\n')[0].slice(0, 70);

/** Entries by run, in the order first seen. */
function byRun(entries: readonly PendingEntry[]): Map<string, PendingEntry[]> {
  const runs = new Map<string, PendingEntry[]>();
  for (const entry of entries) runs.set(entry.runId, [...(runs.get(entry.runId) ?? []), entry]);
  return runs;
}

/** Several runs' versions of one file whose edits overlap: the user picks the one that goes in. */
async function pickVersion(path: string, candidates: readonly PendingEntry[]): Promise<PendingEntry | undefined> {
  const items = candidates.map((entry) => ({ label: firstLine(entry.task) || entry.runId, description: `run ${entry.runId}`, detail: `${entry.file.bytes} bytes, from subtask ${entry.file.subtask}`, entry }));
  const picked = await vscode.window.showQuickPick(items, { title: `Electrictown: ${candidates.length} runs propose ${path}, and their edits overlap`, placeHolder: 'Which version goes in? The others are discarded; Escape accepts nothing.', ignoreFocusOut: true });
  return picked?.entry;
}

export class ReviewDecisions implements vscode.Disposable {
  private readonly accepted: AcceptedEdits;

  constructor(
    private readonly changes: ChangesModel,
    private readonly client: () => ServerConnection | undefined,
    private readonly configPath: () => string | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.accepted = new AcceptedEdits(
      (entries) => this.undone(entries),
      (entries) => this.record(entries, 'accepted'),
    );
  }

  /**
   * Accepts the entries as one edit. Nothing goes in when a file changed since it was proposed (the user
   * is asked), or when a pick between runs' versions is escaped. `quiet`: the caller says the message.
   */
  async accept(entries: readonly PendingEntry[], label: string, options: { quiet?: boolean; overwriteChanged?: boolean } = {}): Promise<AcceptResult> {
    if (entries.length === 0) return { accepted: false, message: 'Electrictown: no changes are waiting for review.' };
    const outcome = await acceptEntries(entries, { label, overwriteChanged: options.overwriteChanged, pick: pickVersion, beforeWrite: (files) => this.keepCheckpoint(files) });
    if (outcome.kind === 'checkpoint-failed') return this.say({ accepted: false, message: outcome.message }, 'error', options.quiet);
    if (outcome.kind === 'cancelled') return this.say({ accepted: false, message: 'Electrictown: no version was picked, so nothing was accepted.' }, 'info', options.quiet);
    if (outcome.kind === 'changed-since-proposed') {
      const paths = [...new Set(outcome.entries.map((entry) => entry.file.path))];
      const runs = [...new Set(outcome.entries.map((entry) => entry.runId))];
      const message = `Electrictown: ${listed(paths)} changed after run${runs.length === 1 ? '' : 's'} ${listed(runs)} proposed ${paths.length === 1 ? 'it' : 'them'}; accepting would overwrite that change, so nothing was accepted.`;
      if (!options.quiet) {
        void vscode.window.showWarningMessage(message, 'Show Diff', 'Accept Anyway').then((choice) => {
          const first = outcome.entries[0].file;
          if (choice === 'Show Diff') void showDiff(outcome.entries[0].runId, first, outcome.entries[0].task);
          if (choice === 'Accept Anyway') void this.accept(entries, label, { overwriteChanged: true });
        });
      }
      return { accepted: false, message };
    }
    if (outcome.kind === 'proposal-missing') {
      const first = outcome.entries[0];
      return this.say({ accepted: false, message: `Electrictown: the proposal of ${listed(outcome.entries.map((entry) => entry.file.path))} is gone from run ${first.runId}'s folder (${first.file.staged} is missing), so nothing was accepted; discard ${outcome.entries.length === 1 ? 'it' : 'them'}.` }, 'error', options.quiet);
    }
    if (outcome.kind === 'not-reloaded') return this.say({ accepted: false, message: `Electrictown: ${listed(outcome.paths)} changed on disk and the editor has not reloaded ${outcome.paths.length === 1 ? 'it' : 'them'} yet, so nothing was accepted. Try again in a moment.` }, 'error', options.quiet);
    this.record(outcome.accepted, 'accepted');
    this.record(outcome.discarded, 'discarded');
    this.accepted.track(outcome.files);
    const { severity, text } = acceptMessage(outcome.report);
    return this.say({ accepted: outcome.accepted.length > 0 && outcome.report.files.every((file) => file.verified === 'applied'), message: text }, severity, options.quiet);
  }

  /**
   * Keeps what the files hold before an accept writes them, in their runs' folders (the server's job):
   * the checkpoints "Restore Checkpoint" puts back. Answers why nothing may be written, if it failed.
   * With no server running there is nowhere to keep them: the accept goes on, and the log says so.
   */
  async keepCheckpoint(files: readonly FileToWrite[]): Promise<string | undefined> {
    const runs = new Map<string, CheckpointFileParams[]>();
    for (const file of files) {
      const afterSha256 = await textSha256(file.after);
      for (const entry of file.entries) runs.set(entry.runId, [...(runs.get(entry.runId) ?? []), { path: entry.file.path, before: file.before ?? null, afterSha256 }]);
    }
    const client = this.client();
    if (!client) {
      this.output.warn(`run ${[...runs.keys()].join(', ')}: accepted without a checkpoint: the server, which keeps them, is not running`);
      return undefined;
    }
    try {
      await Promise.all([...runs].map(([runId, checkpointFiles]) => client.keepCheckpoint({ runId, configPath: this.configPath(), files: checkpointFiles })));
      return undefined;
    } catch (error) {
      // An older `et` (electrictown.server.path) keeps no checkpoints: accepting goes on without, as with no server.
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === METHOD_NOT_FOUND) {
        this.output.warn(`run ${[...runs.keys()].join(', ')}: accepted without a checkpoint: this server does not keep them`);
        return undefined;
      }
      return `Electrictown: the files as they were could not be kept for Restore Checkpoint (${error instanceof Error ? error.message : String(error)}), so nothing was accepted.`;
    }
  }

  /** A file whose every hunk was decided in the diff: accepted (partly, if some were discarded) or discarded. */
  settleHunks(entry: PendingEntry): void {
    this.record([entry], (this.changes.hunksOf(entry.runId, entry.file.path)?.accepted ?? 0) > 0 ? 'accepted' : 'discarded');
  }

  discard(entries: readonly PendingEntry[]): boolean {
    if (entries.length === 0) return false;
    this.record(entries, 'discarded');
    return true;
  }

  /**
   * A (re)started server hears what the view holds: a decision made while no server ran was not told
   * (decided runs the view forgot were told when decided).
   */
  sync(): void {
    for (const set of this.changes.pending()) {
      for (const state of STATES) {
        for (const partly of [false, true]) {
          const files = set.files.filter((file) => file.state === state && (file.partly === true) === partly);
          if (files.length > 0) this.tell(set.runId, files.map((file) => ({ runId: set.runId, task: set.task, file })), state, partly);
        }
      }
    }
  }

  /**
   * Decisions kept in the view, and told to the server (which moves the findings). A file some of whose
   * hunks went in stays accepted — partly — when the rest is discarded, and an accept after discarded
   * hunks is partly one: the run folder says what was applied.
   */
  private record(entries: readonly PendingEntry[], decision: Exclude<ProposalDecision, 'pending'>): void {
    for (const [runId, group] of byRun(entries)) {
      const partly = group.filter((entry) => {
        const hunks = this.changes.hunksOf(runId, entry.file.path);
        return hunks !== undefined && (decision === 'accepted' ? hunks.discarded > 0 : hunks.accepted > 0);
      });
      const whole = group.filter((entry) => !partly.includes(entry));
      if (whole.length > 0) {
        this.changes.decide(runId, whole.map((entry) => entry.file.path), decision);
        this.tell(runId, whole, decision);
      }
      if (partly.length > 0) {
        this.changes.decide(runId, partly.map((entry) => entry.file.path), 'accepted', true);
        this.tell(runId, partly, 'accepted', true);
      }
    }
  }

  private undone(entries: readonly PendingEntry[]): void {
    for (const [runId, group] of byRun(entries)) {
      this.changes.reopen(runId, group[0].task, group.map((entry) => entry.file));
      this.tell(runId, group, 'pending');
    }
    const paths = entries.map((entry) => entry.file.path);
    void vscode.window.showInformationMessage(`Electrictown: the accept of ${listed(paths)} was undone; ${paths.length === 1 ? 'it waits' : 'they wait'} in Changes for review again.`, 'Review Changes').then((choice) => choice && vscode.commands.executeCommand('electrictown.changes.focus'));
  }

  private tell(runId: string, entries: readonly PendingEntry[], decision: ProposalDecision, partly = false): void {
    const client = this.client();
    if (!client) return;
    client.decideProposals({ runId, configPath: this.configPath(), paths: entries.map((entry) => entry.file.path), decision, ...(partly ? { partly } : {}) }).catch((error: unknown) => this.output.warn(`run ${runId}: the server was not told the decision (${decision}): ${error instanceof Error ? error.message : String(error)}`));
  }

  private say(result: AcceptResult, severity: 'info' | 'error', quiet = false): AcceptResult {
    if (!quiet) void (severity === 'info' ? vscode.window.showInformationMessage(result.message) : vscode.window.showErrorMessage(result.message));
    return result;
  }

  dispose(): void {
    this.accepted.dispose();
  }
}
