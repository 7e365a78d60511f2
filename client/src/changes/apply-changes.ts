// Accepting proposed files: one WorkspaceEdit for all of them, so one Undo takes them all back. A new
// file is created with its content; an existing one has its whole text replaced (and is saved, since
// accepting means "put it in the project"), so Undo restores the text the user had.
import * as vscode from 'vscode';
import type { ProposedFile } from '../../../server/src/protocol';
import { uriExists } from '../uri-exists';

/** Applies the files (their staged content, as the user may have edited it in the diff) in one edit. */
export async function applyProposed(files: readonly ProposedFile[], label: string): Promise<boolean> {
  const edit = new vscode.WorkspaceEdit();
  const replaced: vscode.Uri[] = [];
  const decoder = new TextDecoder();
  for (const file of files) {
    const content = await vscode.workspace.fs.readFile(vscode.Uri.file(file.staged));
    const target = vscode.Uri.file(file.target);
    if (await uriExists(target)) {
      const document = await vscode.workspace.openTextDocument(target);
      const whole = new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end);
      edit.replace(target, whole, decoder.decode(content), { label, needsConfirmation: false });
      replaced.push(target);
    } else {
      edit.createFile(target, { contents: content, overwrite: false }, { label, needsConfirmation: false });
    }
  }
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  await Promise.all(replaced.map(async (uri) => (await vscode.workspace.openTextDocument(uri)).save()));
  return true;
}
