// "Electrictown: Restore Checkpoint…": pick an accepted run (newest first), confirm the files it puts
// back (naming those changed since by someone else), and put them back as they were before that run —
// and before every later run that touched them — as one edit, so one Undo takes the restore back. The
// server keeps the checkpoints in the run folders and lists them; this side reads the kept contents and
// edits the project, like an accept.
import * as vscode from 'vscode';
import type { Checkpoint } from '../../../server/src/protocol';
import type { ServerConnection } from '../connection/server-connection';
import { uriExists } from '../uri-exists';
import { inStepWithDisk, sameText, sha256, textNow } from './accept-changes';
import { listed } from './accept-report';
import { restorePlan, type FileToRestore } from './checkpoint-plan';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** SHA-256 (hex) of a text, line endings as `\n`: an edit takes the document's, so they do not count. */
export const textSha256 = (text: string): Promise<string> => sha256(encoder.encode(text.replace(/\r\n/g, '\n')));

const firstLine = (text: string) => text.split('\n')[0].slice(0, 70);

function pickItem(checkpoint: Checkpoint): vscode.QuickPickItem & { checkpoint: Checkpoint } {
  const paths = checkpoint.files.map((file) => file.path);
  return { label: firstLine(checkpoint.task) || checkpoint.runId, description: `run ${checkpoint.runId} · accepted ${new Date(checkpoint.at).toLocaleString()}`, detail: listed(paths), checkpoint };
}

interface Planned extends FileToRestore {
  uri: vscode.Uri;
  /** Its content from before; undefined: there was no file. */
  content: string | undefined;
  now: string | undefined;
  changedSince: boolean;
}

async function prepare(file: FileToRestore): Promise<Planned> {
  const uri = vscode.Uri.file(file.target);
  const content = file.stored === null ? undefined : decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file.stored)));
  const now = await textNow(uri);
  return { ...file, uri, content, now, changedSince: now === undefined || (await textSha256(now)) !== file.lastAfterSha256 };
}

const wholeRange = (document: vscode.TextDocument) => new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end);

/** One edit that puts every file back (deleting those that did not exist). */
async function restoreEdit(files: readonly Planned[], label: string): Promise<vscode.WorkspaceEdit> {
  const edit = new vscode.WorkspaceEdit();
  const metadata = { label, needsConfirmation: false };
  for (const file of files) {
    if (file.content === undefined) edit.deleteFile(file.uri, { ignoreIfNotExists: true }, metadata);
    else if (!(await uriExists(file.uri))) edit.createFile(file.uri, { contents: encoder.encode(file.content), overwrite: false }, metadata);
    else edit.replace(file.uri, wholeRange(await vscode.workspace.openTextDocument(file.uri)), file.content, metadata);
  }
  return edit;
}

/** The command. Answers what it said (for tests), or undefined when the user stopped. */
export async function restoreCheckpoint(client: ServerConnection | undefined, configPath: string | undefined, chosenRunId?: string): Promise<string | undefined> {
  if (!client) {
    void vscode.window.showWarningMessage('Electrictown: the server is not running, and it keeps the checkpoints.');
    return undefined;
  }
  let checkpoints: Checkpoint[];
  try {
    ({ checkpoints } = await client.listCheckpoints({ configPath }));
  } catch (error) {
    const message = `Electrictown: the server could not list the checkpoints: ${error instanceof Error ? error.message : String(error)}`;
    void vscode.window.showErrorMessage(message);
    return message;
  }
  if (checkpoints.length === 0) {
    const message = 'Electrictown: no accepted run has a checkpoint yet (one is kept each time a run\'s files are accepted).';
    void vscode.window.showInformationMessage(message);
    return message;
  }
  const runId = chosenRunId ?? (await vscode.window.showQuickPick(checkpoints.map(pickItem), { title: 'Electrictown: restore the files as they were before which run?', placeHolder: 'Accepted runs, newest first', matchOnDescription: true, matchOnDetail: true }))?.checkpoint.runId;
  const plan = runId === undefined ? undefined : restorePlan(checkpoints, runId);
  if (!plan) return undefined;
  // A document the editor has not reloaded since its file changed on disk would be saved over that change.
  const behind = (await Promise.all(plan.files.map(async (file) => ((await inStepWithDisk(vscode.Uri.file(file.target))) ? [] : [file.path])))).flat();
  if (behind.length > 0) {
    const message = `Electrictown: ${listed(behind)} changed on disk and the editor has not reloaded ${behind.length === 1 ? 'it' : 'them'} yet, so nothing was restored. Try again in a moment.`;
    void vscode.window.showErrorMessage(message);
    return message;
  }
  const files = await Promise.all(plan.files.map(prepare));
  const later = plan.runs.filter((run) => run.runId !== runId).map((run) => run.runId);
  const changed = files.filter((file) => file.changedSince).map((file) => file.path);
  const detail = [
    `Puts back as before run ${runId}: ${files.map((file) => `${file.path}${file.content === undefined ? ' (deleted: it did not exist)' : ''}`).join(', ')}.`,
    later.length > 0 ? `Later run${later.length === 1 ? '' : 's'} ${listed(later)} changed ${later.length === 1 ? 'some of these files too and is' : 'some of these files too and are'} taken back with it.` : '',
    changed.length > 0 ? `Changed since the runs' accept (by you or another tool), and overwritten: ${listed(changed)}.` : '',
    'One Undo takes the restore back.',
  ].filter(Boolean).join('\n\n');
  const confirmed = await vscode.window.showWarningMessage(`Restore ${files.length} file${files.length === 1 ? '' : 's'} as before run ${runId}?`, { modal: true, detail }, 'Restore');
  if (confirmed !== 'Restore') return undefined;
  const applied = await vscode.workspace.applyEdit(await restoreEdit(files, `Electrictown: restore the checkpoint of run ${runId}`));
  // Read back: what is reported is what the files hold.
  const back = await Promise.all(files.map(async (file) => {
    const now = await textNow(file.uri);
    return file.content === undefined ? now === undefined : now !== undefined && sameText(now, file.content);
  }));
  await Promise.all(files.filter((file, index) => back[index] && file.content !== undefined).map(async (file) => vscode.workspace.textDocuments.find((document) => document.uri.toString() === file.uri.toString() && document.isDirty)?.save()));
  const restored = files.filter((_, index) => back[index]);
  const failed = files.filter((_, index) => !back[index]).map((file) => file.path);
  const deleted = restored.filter((file) => file.content === undefined).map((file) => file.path);
  const putBack = restored.filter((file) => file.content !== undefined).map((file) => file.path);
  const parts = [putBack.length > 0 ? `put back ${listed(putBack)}` : '', deleted.length > 0 ? `deleted ${listed(deleted)} (not there before)` : ''].filter(Boolean);
  if (failed.length === 0) {
    const message = `Electrictown: restored the checkpoint of run ${runId}${later.length > 0 ? ` (and took back run${later.length === 1 ? '' : 's'} ${listed(later)})` : ''}: ${parts.join('; ')}. One Undo takes it back.`;
    void vscode.window.showInformationMessage(message);
    return message;
  }
  const message = `Electrictown: the editor ${applied ? 'reported the restore applied, but' : 'refused the restore:'} ${listed(failed)} ${failed.length === 1 ? 'is' : 'are'} not as before run ${runId}${parts.length > 0 ? `; ${parts.join('; ')}` : ''}.`;
  void vscode.window.showErrorMessage(message);
  return message;
}
