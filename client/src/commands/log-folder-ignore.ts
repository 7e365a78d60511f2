// Keeping a starter config's run folders out of git: the `.gitignore` line for its `log_dir` when that
// folder is inside the workspace, added once. Pure (no vscode, no file system).

/** `defaults.log_dir` as written in a config's text (the starter's one line), unquoted. */
export function logDirOf(configText: string): string | undefined {
  const match = /^[ \t]+log_dir:[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s#]+))/m.exec(configText);
  const value = match?.[1] ?? match?.[2] ?? match?.[3];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * The `.gitignore` line for a log folder relative to the config's folder (at the workspace's root), or
 * undefined when it is outside the workspace (absolute, `~`, `..`) and git never sees it.
 */
export function ignoreLine(logDir: string): string | undefined {
  const normalized = logDir.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (normalized === '' || normalized === '.' || normalized.startsWith('/') || normalized.startsWith('~') || /^[A-Za-z]:/.test(normalized)) return undefined;
  if (normalized.split('/').some((segment) => segment === '..')) return undefined;
  return `/${normalized}/`;
}

/** The same folder however a line writes it: `/logs/`, `logs`, `logs/`, `/logs/**`. */
function sameFolder(line: string, entry: string): boolean {
  const bare = (text: string) => text.trim().replace(/\/\*\*$/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  return bare(line) === bare(entry);
}

/** The `.gitignore` text with `entry` added at its end, or undefined when a line already ignores that folder. */
export function withIgnoreLine(existing: string | undefined, entry: string): string | undefined {
  if (existing === undefined || existing === '') return `${entry}\n`;
  const lines = existing.split(/\r?\n/);
  if (lines.some((line) => !line.trimStart().startsWith('#') && sameFolder(line, entry))) return undefined;
  const newline = existing.includes('\r\n') ? '\r\n' : '\n';
  const separator = existing.endsWith('\n') ? '' : newline;
  return `${existing}${separator}${entry}${newline}`;
}
