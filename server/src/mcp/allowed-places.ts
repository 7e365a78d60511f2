// Where an agent may have et mcp write (a run's output folder) or read (files to review): inside the
// client's roots when the client gives roots, else inside the server's working directory — the
// workspace the client started it in. Anywhere else is refused unless the config says
// `defaults.mcp_allow_outside: true`. Paths are compared after symlinks are resolved, so a link
// inside the workspace that points out of it is outside.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { realExisting } from '../run/containment';

export interface AllowedPlaces {
  /** Real paths. */
  folders: string[];
  /** Said in a refusal: `the workspace (/w)` or `the client's roots (/a, /b)`. */
  description: string;
}

/** Whether `target` is `folder` or inside it; both real, absolute paths. Pure. */
export function isInside(target: string, folder: string): boolean {
  const relative = path.relative(folder, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** Why `target` (a real path) may not be used, or undefined when it may. Pure. */
export function placeRefusal(what: string, given: string, target: string, allowed: AllowedPlaces): string | undefined {
  if (allowed.folders.some((folder) => isInside(target, folder))) return undefined;
  return `${what} "${given}" is outside ${allowed.description}`;
}

/** The hint that goes with a refusal. */
export const OUTSIDE_HINT = 'give a path inside it, or set defaults.mcp_allow_outside: true in the config to allow any';

/** The folders of `file:` roots; roots of other schemes name no folder here and are left out. Pure. */
export function rootFolders(roots: readonly { uri: string }[]): string[] {
  return roots.filter((root) => root.uri.startsWith('file:')).map((root) => fileURLToPath(root.uri));
}

/** The roots' folders when the client gave any, else the workspace; resolved through symlinks. */
export async function allowedPlaces(workspace: string, roots: readonly string[] | undefined): Promise<AllowedPlaces> {
  if (roots !== undefined && roots.length > 0) return { folders: await Promise.all(roots.map(realExisting)), description: `the client's roots (${roots.join(', ')})` };
  return { folders: [await realExisting(workspace)], description: `the workspace (${workspace})` };
}
