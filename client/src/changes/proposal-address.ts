// Where a pending proposal is shown in the editor: `electrictown-proposal:/<file's workspace path>?run=<id>`.
// The editor's breadcrumb and labels are made from a URI's path, so the path is the file's own (as the
// project names it), not the run folder's; the run is in the query, which keeps two runs' proposals of
// one file apart. Pure: the editor's side (vscode.Uri, the file system provider) is in proposal-uris.ts.
import path from 'node:path';
import type { ProposedFile } from '../../../server/src/protocol';

/** The URI scheme of proposals shown in the editor (the diff's right side). */
export const PROPOSAL_SCHEME = 'electrictown-proposal';

/** A proposal's address: the file's workspace-relative path, and the run. */
export interface ProposalAddress {
  runId: string;
  /** Forward slashes, no leading slash: as `vscode.workspace.asRelativePath` names the target. */
  path: string;
}

/** The URI's path and query for an address (for `vscode.Uri.from`). */
export function proposalUriParts(address: ProposalAddress): { path: string; query: string } {
  return { path: `/${address.path.replace(/\\/g, '/').replace(/^\/+/, '')}`, query: new URLSearchParams({ run: address.runId }).toString() };
}

/** The address in a proposal URI's path and query; undefined when they name no run or no file. */
export function parseProposalUri(uriPath: string, query: string): ProposalAddress | undefined {
  const runId = new URLSearchParams(query).get('run');
  const file = uriPath.replace(/^\/+/, '');
  return runId && file ? { runId, path: file } : undefined;
}

/**
 * Whether a proposal's staged file is inside its run's `proposed/` folder: its path is the file's
 * relative path under a `proposed` folder, with no `..` and not absolute. Only such a file is read or
 * written through a proposal URI, so a record naming any other file cannot make it one.
 */
export function stagedInsideRunFolder(file: Pick<ProposedFile, 'path' | 'staged'>, platformPath: typeof path = path): boolean {
  const segments = file.path.split(/[\\/]/);
  if (platformPath.isAbsolute(file.path) || segments.some((segment) => segment === '..' || segment === '' || segment === '.')) return false;
  // Normalised already (no `..`, no doubled separators), and ending in `proposed/<the file's path>`.
  const staged = file.staged;
  return platformPath.isAbsolute(staged) && platformPath.normalize(staged) === staged && staged.endsWith(platformPath.sep + platformPath.join('proposed', ...segments));
}
