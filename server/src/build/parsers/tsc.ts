// `tsc`: `file(L,C): error TS…` (--pretty false), `file:L:C - error TS…` (pretty, code frames follow after a
// blank line), and `error TS…` for errors without a file (config problems). Indented lines right after a
// header continue its message (the nested "Types of property…" chain); related information in the pretty
// format comes after the blank line and is left out, as --pretty false leaves it out.
import type { BuildErrorSeverity, FormatParser, FoundError } from '../build-error';

const PLAIN = /^(.+)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;
const PRETTY = /^(.+):(\d+):(\d+) - (error|warning) (TS\d+): (.*)$/;
const GLOBAL = /^(error|warning) (TS\d+): (.*)$/;

interface Header {
  rawPath: string | undefined;
  line: number | undefined;
  column: number | undefined;
  severity: BuildErrorSeverity;
  message: string;
}

export const parseTsc: FormatParser = (lines, resolve) => {
  const errors: FoundError[] = [];
  for (let index = 0; index < lines.length; index++) {
    const header = readHeader(lines[index]);
    if (!header) continue;
    const order = index;
    const message = [header.message];
    while (/^\s+\S/.test(lines[index + 1] ?? '')) message.push(lines[++index].trimEnd());
    const { rawPath, line, column, severity } = header;
    errors.push({ order, tool: 'tsc', file: rawPath === undefined ? undefined : resolve(rawPath), rawPath, line, column, severity, message: message.join('\n').trim() });
  }
  return errors;
};

function readHeader(line: string): Header | undefined {
  if (!line.includes(' TS')) return undefined;
  const located = PLAIN.exec(line) ?? PRETTY.exec(line);
  if (located) {
    return { rawPath: located[1], line: Number(located[2]), column: Number(located[3]), severity: severityOf(located[4]), message: `${located[5]}: ${located[6]}` };
  }
  const global = GLOBAL.exec(line);
  if (global) return { rawPath: undefined, line: undefined, column: undefined, severity: severityOf(global[1]), message: `${global[2]}: ${global[3]}` };
  return undefined;
}

function severityOf(word: string): BuildErrorSeverity {
  return word === 'warning' ? 'warning' : 'error';
}
