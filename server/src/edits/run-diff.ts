// What a run changed, as a unified diff (git's format, three lines of context): for the general fixer
// when a file the run did not touch stops building — the cause is usually in what the run changed
// elsewhere. Built on jsdiff, the diff library most JavaScript tools use. Pure.
import { createTwoFilesPatch, diffLines } from 'diff';
import type { FileChange } from './working-copy';

export function fileDiff(change: Pick<FileChange, 'path' | 'before' | 'after'>): string {
  const patch = createTwoFilesPatch(change.before === undefined ? '/dev/null' : `a/${change.path}`, `b/${change.path}`, change.before ?? '', change.after, undefined, undefined, { context: 3 });
  // jsdiff opens with an `Index:` line and a rule; git's format starts at `---`.
  return patch.slice(patch.indexOf('---'));
}

/** Every change of the run, at most `limit` characters; what does not fit is named. */
export function runDiff(changes: readonly Pick<FileChange, 'path' | 'before' | 'after'>[], limit: number): string {
  const parts: string[] = [];
  const left: string[] = [];
  let used = 0;
  for (const change of changes) {
    const diff = fileDiff(change);
    if (used + diff.length > limit) {
      left.push(change.path);
      continue;
    }
    used += diff.length;
    parts.push(diff);
  }
  if (left.length > 0) parts.push(`(not shown, too long: ${left.join(', ')})`);
  return parts.join('');
}

/** Lines added and removed from `before` to `after`, as `git diff --stat` counts them. */
export function diffStat(before: string | undefined, after: string): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const part of diffLines(before ?? '', after)) {
    if (part.added) added += part.count ?? 0;
    else if (part.removed) removed += part.count ?? 0;
  }
  return { added, removed };
}
