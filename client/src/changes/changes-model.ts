// The Changes view's state: each run's proposed files and what the user decided about each. Decisions
// are kept in the workspace state, so a window reloaded before review still lists what is pending.
import * as vscode from 'vscode';
import type { ProposedFile } from '../../../server/src/protocol';
import type { PendingEntry } from './proposal-checks';

export type ChangeState = 'pending' | 'accepted' | 'discarded';

/** Hunks of a file decided one by one in the diff, while the rest waits. */
export interface HunkCounts {
  accepted: number;
  discarded: number;
}

export interface ChangeSet {
  runId: string;
  task: string;
  /** `partly`: accepted, but only some of its hunks. */
  files: (ProposedFile & { state: ChangeState; hunks?: HunkCounts; partly?: boolean })[];
}

const STATE_KEY = 'electrictown.changes';

export class ChangesModel implements vscode.Disposable {
  private sets: ChangeSet[];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento) {
    this.sets = memento.get<ChangeSet[]>(STATE_KEY, []);
  }

  /** Sets with something still to decide, newest first. */
  pending(): ChangeSet[] {
    return this.sets.filter((set) => set.files.some((file) => file.state === 'pending'));
  }

  get(runId: string): ChangeSet | undefined {
    return this.sets.find((set) => set.runId === runId);
  }

  /** A run's proposed files, all pending (again, if the run was resumed and proposed them anew). */
  add(runId: string, task: string, files: readonly ProposedFile[]): ChangeSet {
    const set: ChangeSet = { runId, task, files: files.map((file) => ({ ...file, state: 'pending' })) };
    this.sets = [set, ...this.sets.filter((known) => known.runId !== runId)];
    void this.save();
    return set;
  }

  /** Every pending file of every set, newest set first. */
  pendingEntries(): PendingEntry[] {
    return this.pending().flatMap((set) => set.files.filter((file) => file.state === 'pending').map(({ state: _state, ...file }) => ({ runId: set.runId, task: set.task, file })));
  }

  /** Files whose accept was undone: pending again, their run back in the view if it had been decided. */
  reopen(runId: string, task: string, files: readonly ProposedFile[]): void {
    const set = this.get(runId) ?? { runId, task, files: [] };
    for (const file of files) {
      const known = set.files.find((candidate) => candidate.path === file.path);
      if (known) Object.assign(known, { state: 'pending', partly: undefined });
      else set.files.push({ ...file, state: 'pending' });
    }
    this.sets = [set, ...this.sets.filter((known) => known !== set)];
    void this.save();
  }

  /** The hunks decided so far of a pending file. */
  hunksOf(runId: string, path: string): HunkCounts | undefined {
    return this.get(runId)?.files.find((file) => file.path === path)?.hunks;
  }

  /**
   * A hunk of a pending file decided in the diff. An accepted hunk changed the project file: the
   * proposal is now made from the file as that left it (`baseSha256`), so the rest can still go in.
   */
  decideHunk(runId: string, path: string, decision: 'accepted' | 'discarded', baseSha256?: string): void {
    const file = this.get(runId)?.files.find((candidate) => candidate.path === path);
    if (!file) return;
    const hunks = file.hunks ?? { accepted: 0, discarded: 0 };
    file.hunks = { ...hunks, [decision]: hunks[decision] + 1 };
    if (baseSha256 !== undefined) file.baseSha256 = baseSha256;
    void this.save();
  }

  /** An accepted hunk of a pending file was undone: counted out, and the proposal is made from the file as it was before it. */
  undoHunk(runId: string, path: string, baseSha256: string | null | undefined): void {
    const file = this.get(runId)?.files.find((candidate) => candidate.path === path);
    if (!file?.hunks || file.hunks.accepted === 0) return;
    const hunks = { ...file.hunks, accepted: file.hunks.accepted - 1 };
    file.hunks = hunks.accepted === 0 && hunks.discarded === 0 ? undefined : hunks;
    file.baseSha256 = baseSha256;
    void this.save();
  }

  decide(runId: string, paths: readonly string[], state: ChangeState, partly = false): void {
    const set = this.get(runId);
    if (!set) return;
    for (const file of set.files) {
      if (!paths.includes(file.path)) continue;
      file.state = state;
      file.partly = partly || undefined;
    }
    // Fully decided sets are forgotten: their run folder keeps the files.
    if (!set.files.some((file) => file.state === 'pending')) this.sets = this.sets.filter((known) => known !== set);
    void this.save();
  }

  private async save(): Promise<void> {
    this.changed.fire();
    await this.memento.update(STATE_KEY, this.sets);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
