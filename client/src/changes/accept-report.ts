// What accepting did, in words: which files went in, merged or picked, or — verified by reading the
// files back — that the editor applied only some or none, and what was put back. Never "nothing was
// changed" when a file changed. Pure.

export type Verified = 'applied' | 'unchanged' | 'other';

export interface AcceptReport {
  /** The editor's own answer to the edit. */
  editorApplied: boolean;
  /** Each target as read back after the edit (by its path relative to the output folder). */
  files: { path: string; verified: Verified }[];
  /** After a partial edit: the files that were put back as they were, and those that could not be. */
  putBack: string[];
  notPutBack: string[];
  /** Files where several runs' edits went in together. */
  merged: { path: string; runIds: string[] }[];
  /** Files several runs proposed, where the user kept one run's version. */
  picked: { path: string; kept: string; discarded: string[] }[];
  /** Accepted in the editor, but the save to disk failed: the editor shows why. */
  unsaved: string[];
}

export function listed(paths: readonly string[]): string {
  if (paths.length > 4) return `${paths.length} files`;
  if (paths.length <= 1) return paths[0] ?? 'no file';
  return `${paths.slice(0, -1).join(', ')} and ${paths.at(-1)}`;
}

const themOrIt = (paths: readonly string[]) => (paths.length === 1 ? 'it' : 'them');
const waits = (paths: readonly string[]) => `${paths.length === 1 ? 'waits' : 'wait'} in Changes`;

/** The notification after an accept: its severity and text. */
export function acceptMessage(report: AcceptReport): { severity: 'info' | 'error'; text: string } {
  const applied = report.files.filter((file) => file.verified === 'applied').map((file) => file.path);
  const notApplied = report.files.filter((file) => file.verified !== 'applied').map((file) => file.path);
  if (notApplied.length === 0) {
    const notes = [
      ...report.merged.map((merge) => `${merge.path}: the edits of runs ${listed(merge.runIds)} went in together (they change different lines)`),
      ...report.picked.map((pick) => `${pick.path}: run ${pick.kept}'s version went in; run${pick.discarded.length === 1 ? '' : 's'} ${listed(pick.discarded)}'s ${pick.discarded.length === 1 ? 'was' : 'were'} discarded`),
    ];
    const unsaved = report.unsaved.length > 0 ? ` ${listed(report.unsaved)} could not be saved: save ${themOrIt(report.unsaved)} to put ${themOrIt(report.unsaved)} on disk.` : '';
    return { severity: unsaved ? 'error' : 'info', text: `Electrictown: accepted ${listed(applied)}. One Undo takes ${themOrIt(applied)} back.${notes.length > 0 ? ` ${notes.join('; ')}.` : ''}${unsaved}` };
  }
  const said = report.editorApplied ? 'the editor reported the edit applied, but' : 'the editor reported the edit failed, and';
  if (applied.length === 0) return { severity: 'error', text: `Electrictown: ${said} the files are as they were: nothing was changed. ${listed(notApplied)} still ${waits(notApplied)}.` };
  if (report.notPutBack.length === 0) return { severity: 'error', text: `Electrictown: ${said} only ${listed(applied)} of ${listed(report.files.map((file) => file.path))} changed; ${applied.length === 1 ? 'it was' : 'they were'} put back as ${applied.length === 1 ? 'it was' : 'they were'}, so nothing was accepted. All still ${waits(report.files.map((file) => file.path))}.` };
  const kept = report.notPutBack;
  const waiting = [...notApplied, ...report.putBack];
  return { severity: 'error', text: `Electrictown: ${said} only ${listed(applied)} changed; ${listed(kept)} could not be put back, so ${kept.length === 1 ? 'it is' : 'they are'} accepted (Undo takes ${themOrIt(kept)} back). ${listed(waiting)} still ${waits(waiting)}.` };
}
