// The review of proposed files over the protocol: `electrictown/decideProposals` keeps what the user
// decided in the run folder and moves the witness's findings with it; a fixed finding is marked so; and
// at start the findings of the latest runs are published again from their records, so a restarted
// server (or editor) shows what the last one did.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, ResponseError, type Diagnostic } from 'vscode-languageserver/node';
import type { Checkpoint, DecideProposalsParams, KeepCheckpointParams, ProposalDecision, RunRecord } from '../protocol';
import { CheckpointError, CheckpointStore, readCheckpoint, storedPath } from '../run/checkpoint-store';
import { checkRelativePath } from '../run/containment';
import { decide, decisionOf, markFixed, readReviewState, ReviewStates, type ReviewState } from '../run/review-state';
import { findRunFolder, listRuns, readRecordFile } from '../run/run-store';
import { FindingsPublisher } from './findings-publisher';
import type { ProposalDocument } from './findings-placement';

const DECISIONS: readonly ProposalDecision[] = ['pending', 'accepted', 'discarded'];

/** Runs looked at for checkpoints: the restore list goes back this far. */
export const CHECKPOINT_RUNS = 100;

/** Runs whose findings a new server publishes again: as many as the Runs view lists. */
export const REPUBLISHED_RUNS = 30;

export interface ReviewServiceContext {
  send(uri: string, diagnostics: Diagnostic[]): void;
  /** The log folder of the config the client names (or the default one). */
  logDirectory(configPath: string | undefined): Promise<string>;
  /** A run this server is running: its record is fresher than its folder's. */
  liveRecord(runId: string): RunRecord | undefined;
  log(message: string): void;
}

export class ReviewService {
  private readonly publisher: FindingsPublisher;
  private readonly states = new ReviewStates();
  private readonly checkpoints = new CheckpointStore();

  constructor(private readonly context: ReviewServiceContext) {
    this.publisher = new FindingsPublisher(context.send);
  }

  /** A run ended (or was read back): its findings are placed with what was decided about its files. */
  async runEnded(record: RunRecord): Promise<void> {
    this.publisher.set(record, await this.reviewStateOf(record.folder));
  }

  /** A resumed run proposes its files anew: what was decided about the old proposals is forgotten. */
  async forgetDecisions(folder: string): Promise<void> {
    await this.states.update(folder, (state) => ({ ...state, files: {} }));
  }

  /** The pending proposal whose staged file this URI is, if it is one. */
  proposalAt(uri: string): ProposalDocument | undefined {
    return this.publisher.proposalAt(uri);
  }

  async decideProposals(params: DecideProposalsParams): Promise<{ decisions: Record<string, ProposalDecision> }> {
    const { runId, configPath, paths, decision, partly }: Partial<DecideProposalsParams> = params ?? {};
    if (typeof runId !== 'string' || runId === '') throw new ResponseError(ErrorCodes.InvalidParams, 'runId: the run whose proposals are decided is needed');
    if (decision === undefined || !DECISIONS.includes(decision)) throw new ResponseError(ErrorCodes.InvalidParams, `decision: must be "pending", "accepted" or "discarded", not ${JSON.stringify(decision)}`);
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((file) => typeof file === 'string')) throw new ResponseError(ErrorCodes.InvalidParams, 'paths: a list of the proposed files decided is needed');
    const record = await this.record(runId, configPath);
    const proposed = new Set((record.files.proposed ?? []).map((file) => file.path));
    const unknown = paths.filter((file) => !proposed.has(file));
    if (unknown.length > 0) throw new ResponseError(ErrorCodes.InvalidParams, `paths: run ${runId} proposed no ${unknown.join(', ')}`);
    const state = await this.states.update(record.folder, (known) => decide(known, paths, decision, new Date().toISOString(), partly === true));
    this.publisher.set(record, state);
    return { decisions: Object.fromEntries([...proposed].map((file) => [file, decisionOf(state, file)])) };
  }

  /** Keeps the files' contents from before the run's accept in its folder (`checkpoint/`). */
  async keepCheckpoint(params: KeepCheckpointParams): Promise<{ kept: string[] }> {
    const { runId, configPath, files } = params;
    const record = await this.record(runId, configPath);
    const proposed = new Set((record.files.proposed ?? []).map((file) => file.path));
    const unknown = files.filter((file) => !proposed.has(file.path)).map((file) => file.path);
    if (unknown.length > 0) throw new ResponseError(ErrorCodes.InvalidParams, `files: run ${runId} proposed no ${unknown.join(', ')}`);
    try {
      return { kept: await this.checkpoints.keep(record.folder, files, new Date().toISOString()) };
    } catch (error) {
      if (error instanceof CheckpointError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
      throw error;
    }
  }

  /** The checkpoints of the latest runs, newest accept first; an unreadable one is logged and left out. */
  async listCheckpoints(configPath: string | undefined): Promise<{ checkpoints: Checkpoint[] }> {
    const summaries = await listRuns(await this.context.logDirectory(configPath), CHECKPOINT_RUNS);
    const checkpoints: Checkpoint[] = [];
    for (const summary of summaries) {
      try {
        const manifest = await readCheckpoint(summary.folder);
        if (!manifest) continue;
        const record = await readRecordFile(summary.folder);
        const files = Object.entries(manifest.files).map(([file, kept]) => ({ path: file, target: path.join(record.outputDir, ...file.split('/')), stored: kept.existed ? storedPath(summary.folder, file) : null, afterSha256: kept.afterSha256 }));
        checkpoints.push({ runId: summary.id, task: summary.task, at: manifest.at, files });
      } catch (error) {
        this.context.log(`the checkpoint of run ${summary.id} was left out: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return { checkpoints: checkpoints.sort((a, b) => b.at.localeCompare(a.at)) };
  }

  /**
   * The refinery fixed a finding of run `runId` on `uri` (a pending proposal's staged file or a real
   * file): it is not shown again, now or after a restart. Runs this server does not know are left.
   */
  async findingFixed(runId: string, uri: string, diagnostic: Diagnostic): Promise<void> {
    const record = this.publisher.record(runId);
    if (!record) return;
    const proposal = this.publisher.proposalAt(uri);
    const relative = proposal?.runId === runId ? proposal.path : path.relative(record.outputDir, fileURLToPath(uri)).split(path.sep).join('/');
    const sameFile = (file: string | undefined) => {
      const checked = file === undefined ? undefined : checkRelativePath(file);
      return checked?.ok === true && checked.relative === relative;
    };
    const finding = record.findings.find((candidate) => sameFile(candidate.file) && candidate.message === diagnostic.message && Math.max(0, (candidate.line ?? 1) - 1) === diagnostic.range.start.line);
    if (!finding) return;
    const state = await this.states.update(record.folder, (known) => markFixed(known, { path: relative, line: finding.line ?? null, message: finding.message }));
    this.publisher.set(record, state);
  }

  /** The findings of the newest runs in the config's log folder, published again (at start). */
  async republish(configPath: string | undefined): Promise<number> {
    const logDirectory = await this.context.logDirectory(configPath);
    const summaries = (await listRuns(logDirectory, REPUBLISHED_RUNS)).filter((summary) => summary.status !== 'running');
    let placed = 0;
    for (const summary of summaries.reverse()) {
      try {
        const record = await readRecordFile(summary.folder);
        if (record.findings.length === 0 && (record.files.proposed ?? []).length === 0) continue;
        this.publisher.set(record, await this.reviewStateOf(record.folder), true);
        placed++;
      } catch (error) {
        this.context.log(`the findings of run ${summary.id} were not published again: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.publisher.publish();
    return placed;
  }

  /** A run's review state; a broken review.json is reported and read as no decisions. */
  private async reviewStateOf(folder: string): Promise<ReviewState> {
    try {
      return await readReviewState(folder);
    } catch (error) {
      this.context.log(error instanceof Error ? error.message : String(error));
      return { version: 1, files: {}, fixed: [] };
    }
  }

  private async record(runId: string, configPath: string | undefined): Promise<RunRecord> {
    const live = this.context.liveRecord(runId);
    if (live) return live;
    return readRecordFile(await findRunFolder(await this.context.logDirectory(configPath), runId));
  }
}
