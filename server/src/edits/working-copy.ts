// The run's view of the project while workers change it: each file as the last finished subtask left
// it, read from the output folder the first time it is needed. A subtask's answer is checked against
// the latest content (every edit must apply, every rewrite of an existing file must keep what is
// there), and committed whole or not at all — so parallel workers that touch one file are applied in
// order, a later worker's edits still land when they touch other lines, and a real conflict is found
// and sent back instead of overwriting. Nothing is written here: the write phase writes `changes()`.
import { applyEdits, type AppliedEdit } from './apply-edits';
import type { EditBlock, ParsedAnswer } from './parse-answer';
import { checkRelativePath } from '../run/containment';

/** A file's text in the project, or undefined when it does not exist; `refused` when it may not be read. */
export type ReadProjectFile = (relative: string) => Promise<{ ok: true; content: string | undefined } | { ok: false; reason: string }>;

/** Which existing definitions a whole-file rewrite would drop (names), for the rewrite rule. */
export type LostDefinitions = (path: string, before: string, after: string) => Promise<string[]>;

/** What one subtask did to one file. */
export interface FileEditRecord {
  subtask: number;
  /** `rewrite`: a whole file for an existing one; `create`: a new file; `edit`: SEARCH/REPLACE blocks. */
  kind: 'edit' | 'create' | 'rewrite';
  applied: AppliedEdit[];
}

export interface FileChange {
  path: string;
  /** The file before the run; undefined when the run creates it. */
  before: string | undefined;
  after: string;
  /** In the order they changed it. */
  subtasks: number[];
  edits: FileEditRecord[];
}

/** Why an answer cannot be applied: one line each for the model, with the file's current lines where it helps. */
export interface ApplyProblem {
  path: string;
  message: string;
  /** Its content now, for the model's next try (undefined: it does not exist). */
  current: string | undefined;
}

export type AnswerCheck = { ok: true; files: Map<string, { content: string; record: FileEditRecord }> } | { ok: false; problems: ApplyProblem[] };

export interface CheckOptions {
  /** The subtask asks for a rewrite: a whole file may replace an existing one even if it drops definitions. */
  rewriteAllowed: boolean;
}

/** Blocks of one answer for one file, whole files and edits in the order the answer gives them. */
function blocksByFile(answer: ParsedAnswer): Map<string, ({ kind: 'file'; content: string } | { kind: 'edit'; block: EditBlock })[]> {
  const ordered = [...answer.files.map((file) => ({ line: file.line, path: file.path, step: { kind: 'file' as const, content: file.content } })), ...answer.edits.map((block) => ({ line: block.line, path: block.path, step: { kind: 'edit' as const, block } }))].sort((a, b) => a.line - b.line);
  const byFile = new Map<string, ({ kind: 'file'; content: string } | { kind: 'edit'; block: EditBlock })[]>();
  for (const { path, step } of ordered) {
    const checked = checkRelativePath(path);
    // Refused paths are the write phase's to report; they change nothing here.
    if (!checked.ok) continue;
    byFile.set(checked.relative, [...(byFile.get(checked.relative) ?? []), step]);
  }
  return byFile;
}

/** A path that may not be read or written, and why. */
export class RefusedPathError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} may not be touched: ${reason}`);
    this.name = 'RefusedPathError';
  }
}

export class WorkingCopy {
  private readonly base = new Map<string, Promise<string | undefined>>();
  /** Paths that may not be read (nor written): a symlink into .git, the run's config… The write phase refuses them. */
  private readonly refusals = new Map<string, string>();
  private readonly changed = new Map<string, FileChange>();
  /** Commits one at a time: a check and its commit see the same content. */
  private commits: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly read: ReadProjectFile,
    private readonly lostDefinitions: LostDefinitions,
  ) {}

  /** The file as the run sees it now; undefined when it does not exist. Throws when it may not be read. */
  async current(relative: string): Promise<string | undefined> {
    const change = this.changed.get(relative);
    if (change) return change.after;
    return this.original(relative);
  }

  private original(relative: string): Promise<string | undefined> {
    let known = this.base.get(relative);
    if (known === undefined) {
      known = this.read(relative).then((result) => {
        if (!result.ok) {
          this.refusals.set(relative, result.reason);
          throw new RefusedPathError(relative, result.reason);
        }
        return result.content;
      });
      this.base.set(relative, known);
    }
    return known;
  }

  /** Whether every block of the answer applies to the files as they are now; nothing changes. */
  async check(answer: ParsedAnswer, subtask: number, options: CheckOptions): Promise<AnswerCheck> {
    const problems: ApplyProblem[] = [];
    const files = new Map<string, { content: string; record: FileEditRecord }>();
    for (const [path, steps] of blocksByFile(answer)) {
      let current: string | undefined;
      try {
        current = await this.current(path);
      } catch (error) {
        // A path that may not be touched changes nothing here; the write phase refuses and records it.
        if (error instanceof RefusedPathError) continue;
        problems.push({ path, message: error instanceof Error ? error.message : String(error), current: undefined });
        continue;
      }
      const existed = current !== undefined;
      let content = current;
      const record: FileEditRecord = { subtask, kind: existed ? 'edit' : 'create', applied: [] };
      let failed = false;
      for (let index = 0; index < steps.length && !failed; index++) {
        const step = steps[index];
        if (step.kind === 'file') {
          if (content !== undefined && !options.rewriteAllowed) {
            const lost = await this.lostDefinitions(path, content, step.content);
            if (lost.length > 0) {
              problems.push({ path, message: `${path} already exists, and your whole-file answer drops what it defines: ${lost.slice(0, 12).join(', ')}${lost.length > 12 ? `, and ${lost.length - 12} more` : ''}. Change it with SEARCH/REPLACE edits instead, keeping everything you were not asked to change.`, current: content });
              failed = true;
              continue;
            }
          }
          if (content !== undefined) record.kind = 'rewrite';
          content = step.content;
          continue;
        }
        // Consecutive edits of one file apply together, all or none.
        const run: EditBlock[] = [step.block];
        while (index + 1 < steps.length && steps[index + 1].kind === 'edit') run.push((steps[++index] as { kind: 'edit'; block: EditBlock }).block);
        const result = applyEdits(content, run);
        if (!result.ok) {
          for (const failure of result.failures) problems.push({ path, message: failure.message, current: content });
          failed = true;
          continue;
        }
        record.applied.push(...result.applied);
        content = result.content;
      }
      if (!failed && content !== undefined) files.set(path, { content, record });
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, files };
  }

  /** Checks the answer against the latest content and, when it applies, makes it the latest. */
  commit(answer: ParsedAnswer, subtask: number, options: CheckOptions): Promise<AnswerCheck> {
    const result = this.commits.then(async () => {
      const check = await this.check(answer, subtask, options);
      if (!check.ok) return check;
      for (const [path, { content, record }] of check.files) {
        const known = this.changed.get(path);
        const change = known ?? { path, before: await this.original(path), after: content, subtasks: [], edits: [] };
        change.after = content;
        if (!change.subtasks.includes(subtask)) change.subtasks.push(subtask);
        change.edits.push(record);
        this.changed.set(path, change);
      }
      return check;
    });
    this.commits = result.catch(() => undefined);
    return result;
  }

  /** Why a path an answer named may not be touched, once it was looked at. */
  refusal(relative: string): string | undefined {
    return this.refusals.get(relative);
  }

  /** Every file the run changed, with its content now: what the write phase writes. */
  changes(): FileChange[] {
    return [...this.changed.values()].filter((change) => change.after !== change.before);
  }

  /** The subtask that changed a file last: who is asked to fix it when the build fails there. */
  owners(): Map<string, number> {
    return new Map(this.changes().map((change) => [change.path, change.subtasks[change.subtasks.length - 1]]));
  }
}
