// Files in a prompt: each under its path, in a fence longer than any backtick run inside it (so a file
// holding Markdown cannot close the fence early), labelled as whole, an outline, or not there yet. Pure.

export interface ContextFile {
  path: string;
  /** `whole`: the file as it is; `outline`: parts of a large file; `missing`: it does not exist yet. */
  kind: 'whole' | 'outline' | 'missing';
  text: string;
}

const LANGUAGES: Record<string, string> = { go: 'go', ts: 'ts', tsx: 'tsx', js: 'js', mjs: 'js', cjs: 'js', jsx: 'jsx', py: 'python', rs: 'rust', c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', java: 'java', json: 'json', md: 'markdown', yaml: 'yaml', yml: 'yaml', toml: 'toml', sh: 'sh', html: 'html', css: 'css', sql: 'sql' };

function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(longest + 1);
}

export function formatContextFile(file: ContextFile): string {
  if (file.kind === 'missing') return `${file.path} — does not exist yet`;
  const fence = fenceFor(file.text);
  const language = LANGUAGES[file.path.slice(file.path.lastIndexOf('.') + 1).toLowerCase()] ?? '';
  const label = file.kind === 'outline' ? `${file.path} — too large to show whole: the parts your subtask names, then an outline of the rest` : file.path;
  return `${label}\n${fence}${language}\n${file.text}${file.text.endsWith('\n') || file.text === '' ? '' : '\n'}${fence}`;
}

export function formatContextFiles(heading: string, files: readonly ContextFile[]): string | undefined {
  if (files.length === 0) return undefined;
  return `${heading}\n\n${files.map(formatContextFile).join('\n\n')}`;
}

/** The lines the user selected, as the thing the task is about. */
export function formatSelection(selection: { path: string; startLine: number; endLine: number; text: string }): string {
  const lines = selection.startLine === selection.endLine ? `line ${selection.startLine}` : `lines ${selection.startLine}-${selection.endLine}`;
  const fence = fenceFor(selection.text);
  const language = LANGUAGES[selection.path.slice(selection.path.lastIndexOf('.') + 1).toLowerCase()] ?? '';
  return `The user selected ${lines} of ${selection.path}; the task is about them:\n${fence}${language}\n${selection.text}${selection.text.endsWith('\n') ? '' : '\n'}${fence}`;
}
