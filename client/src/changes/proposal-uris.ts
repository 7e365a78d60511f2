// Proposals in the editor under their own scheme (see proposal-address.ts): the URI of a proposal, the
// proposal a URI names, and the file system provider that reads and writes the staged file behind it —
// the user can edit a proposal in the diff, and a change to the staged file on disk (a resumed run
// rewriting it) shows there. Only the proposals of runs the Changes view knows are served (and those
// served before, once decided), and only when their staged file is inside the run folder's `proposed/`.
import * as vscode from 'vscode';
import type { ProposedFile } from '../../../server/src/protocol';
import type { ChangesModel } from './changes-model';
import { parseProposalUri, PROPOSAL_SCHEME, proposalUriParts, stagedInsideRunFolder } from './proposal-address';

/** The URI a proposal is shown at: its file's path in the workspace, and the run. */
export function proposalUri(runId: string, file: Pick<ProposedFile, 'target'>): vscode.Uri {
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, ...proposalUriParts({ runId, path: vscode.workspace.asRelativePath(vscode.Uri.file(file.target)) }) });
}

/** Whether two URIs are the same resource. */
export const sameUri = (one: vscode.Uri | undefined, other: vscode.Uri | undefined) => one !== undefined && other !== undefined && one.toString() === other.toString();

/** The run's proposed file a proposal URI names (decided or not), if the run is known and its file is where it should be. */
export function proposedFileAt(changes: ChangesModel, uri: vscode.Uri): ProposedFile | undefined {
  if (uri.scheme !== PROPOSAL_SCHEME) return undefined;
  const address = parseProposalUri(uri.path, uri.query);
  if (!address) return undefined;
  const file = changes.get(address.runId)?.files.find((candidate) => sameUri(proposalUri(address.runId, candidate), uri));
  return file && stagedInsideRunFolder(file) ? file : undefined;
}

/** The proposal URI of a pending proposal's staged file (a `file:` URI), if it is one. */
export function proposalOfStaged(changes: ChangesModel, uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== 'file') return undefined;
  const entry = changes.pendingEntries().find((candidate) => vscode.Uri.file(candidate.file.staged).fsPath === uri.fsPath);
  return entry ? proposalUri(entry.runId, entry.file) : undefined;
}

/** The staged file's `file:` URI behind a proposal URI, if it names a known proposal. */
export function stagedOfProposal(changes: ChangesModel, uri: vscode.Uri): vscode.Uri | undefined {
  const file = proposedFileAt(changes, uri);
  return file ? vscode.Uri.file(file.staged) : undefined;
}

export class ProposalFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /**
   * Proposals served so far: one stays readable and writable once decided (and its run gone from the
   * Changes view), so a diff open on it can still be saved and closed.
   */
  private readonly served = new Map<string, vscode.Uri>();

  constructor(private readonly changes: ChangesModel) {}

  private staged(uri: vscode.Uri): vscode.Uri {
    const staged = stagedOfProposal(this.changes, uri) ?? this.served.get(uri.toString());
    if (!staged) throw vscode.FileSystemError.FileNotFound(uri);
    this.served.set(uri.toString(), staged);
    return staged;
  }

  /** Follows the staged file on disk; it is replaced whole when rewritten, so its folder is watched for its name. */
  watch(uri: vscode.Uri): vscode.Disposable {
    const staged = stagedOfProposal(this.changes, uri) ?? this.served.get(uri.toString());
    if (!staged) return new vscode.Disposable(() => undefined);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(staged, '..'), staged.path.slice(staged.path.lastIndexOf('/') + 1)));
    const fire = (type: vscode.FileChangeType) => () => this.changed.fire([{ type, uri }]);
    const listeners = [watcher.onDidChange(fire(vscode.FileChangeType.Changed)), watcher.onDidCreate(fire(vscode.FileChangeType.Changed)), watcher.onDidDelete(fire(vscode.FileChangeType.Deleted))];
    return new vscode.Disposable(() => {
      for (const listener of listeners) listener.dispose();
      watcher.dispose();
    });
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const stat = await vscode.workspace.fs.stat(this.staged(uri));
    // A proposal is one file: never a folder, never a link to follow.
    return { type: vscode.FileType.File, ctime: stat.ctime, mtime: stat.mtime, size: stat.size };
  }

  readFile(uri: vscode.Uri): Thenable<Uint8Array> {
    return vscode.workspace.fs.readFile(this.staged(uri));
  }

  /** The user's edit of the proposal (or a hunk taken out of it): into the staged file, which accepting reads. */
  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    await vscode.workspace.fs.writeFile(this.staged(uri), content);
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  readDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.FileNotADirectory(uri);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
