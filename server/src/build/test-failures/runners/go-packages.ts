// Where a Go package's files are. `go test` names a failing test's file by its base name only
// (`stock_test.go:16`), and the package by its import path, so the package's folder has to be worked out:
// from output that shows both an import path and a path in the output directory (a panic's goroutine trace,
// a build error under its `# package` header), else from the usual shape of module paths.
import { posix } from 'node:path';

/** Import paths mapped to folders (relative POSIX, '' for the root) once the module's path is known. */
export interface PackageFolders {
  /** Records a package seen in the same place as one of its files (relative to the output directory). */
  learn(importPath: string, relativeFile: string): void;
  /** The package's folder, or undefined when it is not inside the module. */
  folderOf(importPath: string): string | undefined;
}

export function packageFolders(): PackageFolders {
  let modulePath: string | undefined;
  return {
    learn(importPath, relativeFile) {
      if (modulePath !== undefined) return;
      const folder = posix.dirname(relativeFile);
      if (folder === '.') modulePath = importPath;
      else if (importPath.endsWith(`/${folder}`)) modulePath = importPath.slice(0, -folder.length - 1);
    },
    folderOf(importPath) {
      const root = modulePath ?? conventionalModulePath(importPath);
      if (importPath === root) return '';
      return importPath.startsWith(`${root}/`) ? importPath.slice(root.length + 1) : undefined;
    },
  };
}

/** A function's package in a goroutine trace: `example.com/shop/inventory.(*Stock).Remove` → `example.com/shop/inventory`. */
export function packageOfFunction(functionName: string): string {
  const lastSlash = functionName.lastIndexOf('/');
  const dot = functionName.indexOf('.', lastSlash + 1);
  return dot < 0 ? functionName : functionName.slice(0, dot);
}

const THREE_PART_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org', 'golang.org']);

// Module paths are one word for local projects (`shop`), host/owner/repo on the big forges and host/name
// elsewhere (`example.com/shop`), then maybe a major version (`/v2`).
function conventionalModulePath(importPath: string): string {
  const parts = importPath.split('/');
  let length = !parts[0].includes('.') ? 1 : THREE_PART_HOSTS.has(parts[0]) ? 3 : 2;
  if (/^v\d+$/.test(parts[length] ?? '')) length++;
  return parts.slice(0, length).join('/');
}
