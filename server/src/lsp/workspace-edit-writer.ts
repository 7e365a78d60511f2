// The write phase in the editor: every file of a run in one `workspace/applyEdit`, so the editor shows
// the changes as one edit and one Undo takes the whole run back. Paths are checked here exactly as for
// a write to disk; the client only ever sees paths inside the output directory.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Connection, Position, WorkspaceEdit } from 'vscode-languageserver/node';
import { planWrites, type FileWriter, type WriteReport } from '../run/write-files';

/** Where a text ends, as LSP counts: UTF-16 code units on the last line, lines split at \n, \r\n or \r. */
export function endPosition(text: string): Position {
  const lines = text.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}

export interface EditTarget {
  uri: string;
  content: string;
  /** The file's text now, or undefined when it does not exist yet. */
  existing: string | undefined;
}

/** One edit: a new file is created and filled, an existing one has its whole text replaced. Pure. */
export function workspaceEditFor(targets: readonly EditTarget[]): WorkspaceEdit {
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const target of targets) {
    if (target.existing === undefined) documentChanges.push({ kind: 'create', uri: target.uri, options: { overwrite: false, ignoreIfExists: true } });
    const end = target.existing === undefined ? { line: 0, character: 0 } : endPosition(target.existing);
    documentChanges.push({ textDocument: { uri: target.uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end }, newText: target.content }] });
  }
  return { documentChanges };
}

async function currentText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export function workspaceEditWriter(connection: Connection, label: string): FileWriter {
  return async (outputDirectory, files, protect = []) => {
    const plan = await planWrites(outputDirectory, files, protect);
    const report: WriteReport = { written: [], refused: plan.refused, conflicts: plan.conflicts };
    if (plan.targets.length === 0) return report;
    const targets = await Promise.all(plan.targets.map(async ({ absolute, file }) => ({ uri: pathToFileURL(absolute).href, content: file.content, existing: await currentText(absolute) })));
    const result = await connection.workspace.applyEdit({ label, edit: workspaceEditFor(targets) });
    for (const { relative, file } of plan.targets) {
      if (result.applied) report.written.push({ path: relative, bytes: Buffer.byteLength(file.content), subtask: file.subtask });
      else report.refused.push({ path: relative, reason: `the editor did not apply the edit${result.failureReason ? `: ${result.failureReason}` : ''}`, subtask: file.subtask });
    }
    return report;
  };
}
