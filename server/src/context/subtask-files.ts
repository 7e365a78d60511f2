// The files a subtask touches: the ones its plan line names with `[files: …]`, and the project's files
// its text names (`handler.go`, `pkg/store.go`), which a plan without markers still gives. Pure.
import { checkRelativePath } from '../run/containment';

/**
 * Path-looking words in a text: with a slash or an extension, stripped of quotes, backticks and
 * punctuation. Loose on purpose (`e.g` passes): callers keep only the ones that are project files.
 */
export function pathsNamedIn(text: string): string[] {
  const found: string[] = [];
  for (const raw of text.split(/[\s,;()[\]{}<>"'`]+/)) {
    const word = raw.replace(/^[*_]+|[*_:.!?]+$/g, '');
    if (/^[\w@.\-/]+\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(word) || /^[\w@.-]+(?:\/[\w@.-]+)+$/.test(word)) found.push(word);
  }
  return found;
}

/**
 * The subtask's files, normalised: every planned path that is a valid project path, then the project
 * files its text names — a bare name (`handler.go`) taken when exactly one project file has it.
 */
export function filesOfSubtask(planned: readonly string[], text: string, projectFiles: readonly string[]): string[] {
  const files: string[] = [];
  const add = (path: string) => {
    const checked = checkRelativePath(path);
    if (checked.ok && !files.includes(checked.relative)) files.push(checked.relative);
  };
  for (const path of planned) add(path);
  const known = new Set(projectFiles);
  for (const word of pathsNamedIn(text)) {
    const path = word.replace(/^\.\//, '');
    if (known.has(path)) add(path);
    else if (!path.includes('/')) {
      const same = projectFiles.filter((file) => file.endsWith(`/${path}`));
      if (same.length === 1) add(same[0]);
    }
  }
  return files;
}
