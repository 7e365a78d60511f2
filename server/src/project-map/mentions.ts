// What a task's text points at in the project: paths that exist (`internal/handler.go`, or just
// `handler.go` when few files are called that) and names the project defines (`ListItems`). Pure.
import { posix } from 'node:path';
import type { Focus, ProjectIndex } from './types';

/** A basename shared by more files than this (`index.ts`) says too little to pick any of them. */
const MAX_FILES_PER_BASENAME = 3;
const MIN_IDENTIFIER_LENGTH = 3;

export function mentionsIn(task: string, index: ProjectIndex): Focus {
  const paths = new Set(index.files.map((file) => file.path));
  const byBasename = new Map<string, string[]>();
  for (const file of index.files) {
    const name = posix.basename(file.path);
    byBasename.set(name, [...(byBasename.get(name) ?? []), file.path]);
  }
  const files = new Set<string>();
  for (const token of task.match(/[\w@$.\-/\\]+/g) ?? []) {
    const written = token.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '').replace(/[.,:;!?]+$/, '');
    if (written === '') continue;
    if (paths.has(written)) files.add(written);
    else if (written.includes('/')) {
      // A path from somewhere below the root: `handlers/item.go` for `internal/handlers/item.go`.
      for (const path of paths) if (path.endsWith(`/${written}`)) files.add(path);
    } else if (/[.A-Z]/.test(written)) {
      // A basename with an extension, or a capitalised one (`Makefile`); not a plain word (`main`).
      const named = byBasename.get(written) ?? [];
      if (named.length <= MAX_FILES_PER_BASENAME) for (const path of named) files.add(path);
    }
  }
  const defined = new Set(index.files.flatMap((file) => file.definitions.map((definition) => definition.name)));
  const identifiers = new Set<string>();
  for (const word of task.match(/[A-Za-z_$][\w$]*/g) ?? []) {
    if (word.length >= MIN_IDENTIFIER_LENGTH && defined.has(word)) identifiers.add(word);
  }
  return { files: [...files], identifiers: [...identifiers] };
}
