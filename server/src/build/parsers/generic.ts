// The fallback for tools without a parser of their own: `path:L[:C]: message` at the start of a line, with the
// path free of spaces. A leading `error:`/`warning:` in the message sets the severity (default error).
import type { FormatParser, FoundError } from '../build-error';

const LOCATION = /^((?:[A-Za-z]:[\\/])?[^\s:]+):(\d+)(?::(\d+))?:\s+(\S.*)$/;
const SEVERITY = /^(fatal error|error|warning|warn)\s*:\s*/i;

export const parseGeneric: FormatParser = (lines, resolve) => {
  const errors: FoundError[] = [];
  for (let index = 0; index < lines.length; index++) {
    const match = LOCATION.exec(lines[index]);
    if (!match) continue;
    const severityWord = SEVERITY.exec(match[4]);
    const message = (severityWord ? match[4].slice(severityWord[0].length) : match[4]).trim();
    if (message === '') continue;
    const rawPath = match[1];
    errors.push({
      order: index,
      tool: 'generic',
      file: resolve(rawPath),
      rawPath,
      line: Number(match[2]),
      column: match[3] === undefined ? undefined : Number(match[3]),
      severity: severityWord?.[1].toLowerCase().startsWith('warn') ? 'warning' : 'error',
      message,
    });
  }
  return errors;
};
