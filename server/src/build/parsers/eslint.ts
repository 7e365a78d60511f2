// ESLint's `stylish` (a file's path on its own line, then `  L:C  error|warning  message  rule-id` rows) and
// `unix` (`path:L:C: message [Error/rule-id]`) formatters. Both give the message as `message (rule-id)`; stylish
// drops the message's final period, unix keeps it, and so do we.
import type { FormatParser, FoundError } from '../build-error';

const STYLISH_ROW = /^\s+(\d+):(\d+)\s+(error|warning)\s+(\S.*)$/;
// The message and the rule id are separated by the table's padding: two spaces or more.
const STYLISH_RULE = /^(.*?\S)\s{2,}([@\w][\w@./-]*)$/;
const UNIX_HEAD = /^(.+?):(\d+):(\d+): /;
const UNIX_TAIL = /^\[(Error|Warning)(?:\/([^\]\s]+))?\]$/;

export const parseEslint: FormatParser = (lines, resolve) => {
  const errors: FoundError[] = [];
  // Set by a stylish path line that a row directly follows; any other line ends that file's rows.
  let stylishPath: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const row = STYLISH_ROW.exec(line);
    if (!row) {
      stylishPath = undefined;
      const unix = readUnix(line);
      if (unix) errors.push({ order: index, tool: 'eslint', file: resolve(unix.rawPath), ...unix });
      continue;
    }
    const previous = lines[index - 1] ?? '';
    if (stylishPath === undefined && /^\S/.test(previous)) stylishPath = previous.trim();
    if (stylishPath === undefined) continue;
    const text = row[4].trimEnd();
    const rule = STYLISH_RULE.exec(text);
    errors.push({
      order: index,
      tool: 'eslint',
      file: resolve(stylishPath),
      rawPath: stylishPath,
      line: positive(row[1]),
      column: positive(row[2]),
      severity: row[3] === 'warning' ? 'warning' : 'error',
      message: rule ? `${rule[1]} (${rule[2]})` : text,
    });
  }
  return errors;
};

function readUnix(line: string): Omit<FoundError, 'order' | 'tool' | 'file'> & { rawPath: string } | undefined {
  // The tail is found with lastIndexOf so that a long line is scanned once.
  const split = line.lastIndexOf(' [');
  if (split < 0 || !line.endsWith(']')) return undefined;
  const tail = UNIX_TAIL.exec(line.slice(split + 1));
  const head = tail && UNIX_HEAD.exec(line);
  if (!tail || !head || head[0].length > split + 1) return undefined;
  const text = line.slice(head[0].length, split).trim();
  return {
    rawPath: head[1],
    line: positive(head[2]),
    column: positive(head[3]),
    severity: tail[1] === 'Warning' ? 'warning' : 'error',
    message: tail[2] ? `${text} (${tail[2]})` : text,
  };
}

// ESLint reports file-level problems (an ignored file) at 0:0.
function positive(digits: string): number | undefined {
  const value = Number(digits);
  return value > 0 ? value : undefined;
}
