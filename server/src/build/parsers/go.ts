// `go build` / `go vet`: `path.go:LINE[:COL]: message` under `# package` lines. Go prints paths relative to
// the working directory (`./main.go` for the root package) and indents a message's further lines with a tab.
import type { FormatParser, FoundError } from '../build-error';

const LOCATION = /^(?:vet: )?(\S.*?\.go):(\d+)(?::(\d+))?: (.*)$/;

export const parseGo: FormatParser = (lines, resolve) => {
  const errors: FoundError[] = [];
  for (let index = 0; index < lines.length; index++) {
    const match = LOCATION.exec(lines[index]);
    if (!match) continue;
    const order = index;
    const message = [match[4]];
    while (lines[index + 1]?.startsWith('\t')) message.push(lines[++index]);
    const rawPath = match[1];
    errors.push({ order, tool: 'go', file: resolve(rawPath), rawPath, line: Number(match[2]), column: match[3] === undefined ? undefined : Number(match[3]), severity: 'error', message: message.join('\n').trim() });
  }
  return errors;
};
