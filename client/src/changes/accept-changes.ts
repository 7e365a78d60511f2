// Accepting proposed files: one decision (a file, a run's files, all of them) is one WorkspaceEdit, so
// one Undo takes it back. Before it: a file changed since it was proposed is not overwritten unasked,
// and a file several runs propose goes in merged (their edits change different lines) or as the version
// the user picks. After it, each file is read back: what the editor applied is what is reported, and an
// edit that went in only partly is put back, so a decision lands whole or not at all.
import * as vscode from 'vscode';
import { uriExists } from '../uri-exists';
import type { AcceptReport, Verified } from './accept-report';
import { mergeProposals } from './merge-proposals';
import { proposalUri } from './proposal-uris';
import { byTarget, changedSinceProposed, madeFromCurrent, type PendingEntry, type TargetNow } from './proposal-checks';

export interface AcceptOptions {
  /** The edit's label, shown in the Undo history. */
  label: string;
  /** Overwrite files changed since they were proposed: the user said so. */
  overwriteChanged?: boolean;
  /** Several runs propose one file and their edits do not merge: the version that goes in (undefined: accept nothing). */
  pick(path: string, candidates: readonly PendingEntry[]): Promise<PendingEntry | undefined>;
  /** Just before the edit: keep what the files hold now (the runs' checkpoints); a message stops the accept. */
  beforeWrite?(files: readonly FileToWrite[]): Promise<string | undefined>;
}

/** A file an accept is about to write: its runs' entries, what it holds (undefined: no file) and will hold. */
export interface FileToWrite {
  entries: readonly PendingEntry[];
  before: string | undefined;
  after: string;
}

/** A file the edit put in: what it held before (undefined: none) and now. */
export interface AcceptedFile {
  uri: vscode.Uri;
  before: string | undefined;
  after: string;
  entries: PendingEntry[];
}

export type AcceptOutcome =
  | { kind: 'cancelled' }
  | { kind: 'changed-since-proposed'; entries: PendingEntry[] }
  /** Files changed on disk whose documents the editor had not reloaded yet: nothing was accepted. */
  | { kind: 'not-reloaded'; paths: string[] }
  /** Proposals whose staged file is gone from the run folder (deleted with it): nothing was accepted. */
  | { kind: 'proposal-missing'; entries: PendingEntry[] }
  /** The files' contents from before could not be kept: nothing was accepted. */
  | { kind: 'checkpoint-failed'; message: string }
  | { kind: 'done'; accepted: PendingEntry[]; discarded: PendingEntry[]; files: AcceptedFile[]; report: AcceptReport };

const decoder = new TextDecoder();
const encoder = new TextEncoder();
/** Equal but for line endings: an edit takes the document's. */
export const sameText = (a: string, b: string) => a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');

const openDocument = (uri: vscode.Uri) => vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());

export async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Buffer.from(digest).toString('hex');
}

/** The file's text now, as the editor would save it (an open document's, unsaved edits included); undefined when there is no file. */
export async function textNow(uri: vscode.Uri): Promise<string | undefined> {
  if (!(await uriExists(uri))) return undefined;
  const document = openDocument(uri);
  if (document) return document.getText();
  try {
    return decoder.decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** How long a loaded document may lag a change on disk before accepting gives up waiting for it. */
const RELOAD_WAIT_MS = 3000;

/**
 * A document loaded in the editor and not edited there is reloaded from disk a moment after the file
 * changes: until it is, an edit of it would be saved over the newer file (a save conflict). Waits for
 * that; false when it did not happen in time.
 */
export async function inStepWithDisk(uri: vscode.Uri): Promise<boolean> {
  const document = openDocument(uri);
  if (!document || document.isDirty || !(await uriExists(uri))) return true;
  for (const deadline = Date.now() + RELOAD_WAIT_MS; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    if (sameText(document.getText(), decoder.decode(await vscode.workspace.fs.readFile(uri)))) return true;
    if (Date.now() > deadline) return false;
  }
}

/** The file now, for the changed-since-proposed check: unsaved edits count as changes. */
export async function targetNow(uri: vscode.Uri): Promise<TargetNow & { text?: string }> {
  if (!(await uriExists(uri))) return { exists: false };
  const document = openDocument(uri);
  if (document?.isDirty) return { exists: true, sha256: await sha256(encoder.encode(document.getText())), text: document.getText() };
  const bytes = await vscode.workspace.fs.readFile(uri);
  return { exists: true, sha256: await sha256(bytes), text: decoder.decode(bytes) };
}

/** A proposal's text, as the user may have edited it in the diff (saved into the run folder first). */
async function proposalText({ runId, file }: PendingEntry): Promise<string> {
  const proposal = proposalUri(runId, file);
  const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === proposal.toString()) ?? openDocument(vscode.Uri.file(file.staged));
  if (document?.isDirty) await document.save();
  return document ? document.getText() : decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file.staged)));
}

interface Resolved {
  target: string;
  /** The entry whose path names the file in messages. */
  path: string;
  content: string;
  entries: PendingEntry[];
  discarded: PendingEntry[];
}

/** Each target's content: one run's, the runs' merged edits, or the version the user picks. */
async function resolve(groups: Map<string, PendingEntry[]>, options: AcceptOptions, report: AcceptReport): Promise<Resolved[] | undefined> {
  const resolved: Resolved[] = [];
  for (const [target, group] of groups) {
    const texts = await Promise.all(group.map((entry) => proposalText(entry)));
    const path = group[0].file.path;
    if (texts.every((text) => text === texts[0])) {
      resolved.push({ target, path, content: texts[0], entries: group, discarded: [] });
      continue;
    }
    const now = await targetNow(vscode.Uri.file(target));
    const merged = now.text !== undefined && madeFromCurrent(group, now) ? mergeProposals(now.text, texts) : undefined;
    if (merged?.ok) {
      resolved.push({ target, path, content: merged.text, entries: group, discarded: [] });
      report.merged.push({ path, runIds: group.map((entry) => entry.runId) });
      continue;
    }
    const chosen = await options.pick(path, group);
    if (!chosen) return undefined;
    const discarded = group.filter((entry) => entry !== chosen);
    resolved.push({ target, path, content: texts[group.indexOf(chosen)], entries: [chosen], discarded });
    report.picked.push({ path, kept: chosen.runId, discarded: discarded.map((entry) => entry.runId) });
  }
  return resolved;
}

const wholeRange = (document: vscode.TextDocument) => new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end);

/** One edit that puts each file's text in (undefined: the file is deleted), or undefined when there is nothing to do. */
async function editFor(files: readonly { uri: vscode.Uri; from: string | undefined; to: string | undefined }[], label: string): Promise<vscode.WorkspaceEdit> {
  const edit = new vscode.WorkspaceEdit();
  const metadata = { label, needsConfirmation: false };
  for (const { uri, from, to } of files) {
    if (to === undefined) edit.deleteFile(uri, { ignoreIfNotExists: true }, metadata);
    else if (from === undefined) edit.createFile(uri, { contents: encoder.encode(to), overwrite: false }, metadata);
    else edit.replace(uri, wholeRange(await vscode.workspace.openTextDocument(uri)), to, metadata);
  }
  return edit;
}

function verify(now: string | undefined, before: string | undefined, after: string): Verified {
  if (now !== undefined && sameText(now, after)) return 'applied';
  if (now === before || (now !== undefined && before !== undefined && sameText(now, before))) return 'unchanged';
  return 'other';
}

/** Whether a file is back to what it was (undefined: no file). */
const isAsBefore = (now: string | undefined, before: string | undefined) => (before === undefined ? now === undefined : now !== undefined && sameText(now, before));

/** Saves the documents an edit changed, so "accept" puts the files on disk like a write would; answers those that could not be saved. */
async function saveAll(uris: readonly vscode.Uri[]): Promise<vscode.Uri[]> {
  const saved = await Promise.all(uris.map(async (uri) => (await openDocument(uri)?.save()) !== false));
  return uris.filter((_, index) => !saved[index]);
}

export async function acceptEntries(entries: readonly PendingEntry[], options: AcceptOptions): Promise<AcceptOutcome> {
  const missing = (await Promise.all(entries.map(async (entry) => ((await uriExists(vscode.Uri.file(entry.file.staged))) ? [] : [entry])))).flat();
  if (missing.length > 0) return { kind: 'proposal-missing', entries: missing };
  const groups = byTarget(entries);
  // A file changed since its proposal is never overwritten unasked: nothing is accepted, nothing asked.
  if (!options.overwriteChanged) {
    const changed: PendingEntry[] = [];
    for (const [target, group] of groups) {
      const now = await targetNow(vscode.Uri.file(target));
      changed.push(...group.filter((entry) => changedSinceProposed(entry.file, now)));
    }
    if (changed.length > 0) return { kind: 'changed-since-proposed', entries: changed };
  }
  const report: AcceptReport = { editorApplied: false, files: [], putBack: [], notPutBack: [], merged: [], picked: [], unsaved: [] };
  const resolved = await resolve(groups, options, report);
  if (!resolved) return { kind: 'cancelled' };

  const behind = (await Promise.all(resolved.map(async (item) => ((await inStepWithDisk(vscode.Uri.file(item.target))) ? [] : [item.path])))).flat();
  if (behind.length > 0) return { kind: 'not-reloaded', paths: behind };
  const files = await Promise.all(resolved.map(async (item) => ({ item, uri: vscode.Uri.file(item.target), before: await textNow(vscode.Uri.file(item.target)), wasDirty: openDocument(vscode.Uri.file(item.target))?.isDirty === true })));
  const refused = await options.beforeWrite?.(files.map(({ item, before }) => ({ entries: item.entries, before, after: item.content })));
  if (refused !== undefined) return { kind: 'checkpoint-failed', message: refused };
  report.editorApplied = await vscode.workspace.applyEdit(await editFor(files.map(({ uri, before, item }) => ({ uri, from: before, to: item.content })), options.label));
  const verified = await Promise.all(files.map(async (file) => verify(await textNow(file.uri), file.before, file.item.content)));
  report.files = files.map((file, index) => ({ path: file.item.path, verified: verified[index] }));

  let kept = files.filter((_, index) => verified[index] === 'applied');
  if (kept.length > 0 && kept.length < files.length) {
    // Only part of the decision went in: put it back, so the decision is all or nothing.
    await vscode.workspace.applyEdit(await editFor(kept.map(({ uri, before, item }) => ({ uri, from: item.content, to: before })), `${options.label} (put back)`));
    const back = await Promise.all(kept.map(async (file) => isAsBefore(await textNow(file.uri), file.before)));
    report.putBack = kept.filter((_, index) => back[index]).map((file) => file.item.path);
    report.notPutBack = kept.filter((_, index) => !back[index]).map((file) => file.item.path);
    await saveAll(kept.filter((file, index) => back[index] && file.before !== undefined && !file.wasDirty).map((file) => file.uri));
    kept = kept.filter((_, index) => !back[index]);
  }
  const unsaved = await saveAll(kept.filter((file) => file.before !== undefined).map((file) => file.uri));
  report.unsaved = kept.filter((file) => unsaved.includes(file.uri)).map((file) => file.item.path);
  return {
    kind: 'done',
    accepted: kept.flatMap((file) => file.item.entries),
    discarded: kept.flatMap((file) => file.item.discarded),
    files: kept.map((file) => ({ uri: file.uri, before: file.before, after: file.item.content, entries: file.item.entries })),
    report,
  };
}
