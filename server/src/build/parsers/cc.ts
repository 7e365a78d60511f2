// gcc and clang: `file:L[:C]: error|warning|fatal error: message`. `note:` lines, `In function …` and
// `In file included from …` context, code frames and `N errors generated.` are dropped. Linker errors
// (`tool.c:(.text+0xf): undefined reference to …`) are kept, without a file: the linker names the object's
// source by its base name only, not by a path in the output directory.
import type { FormatParser, FoundError } from '../build-error';

const DIAGNOSTIC = /^(.+?):(\d+):(?:(\d+):)? (fatal error|error|warning): (.*)$/;
const LINKER = /^(\S+?):\(\.[^)\s]*\+0x[0-9a-f]+\): (.*)$/;

export const parseCc: FormatParser = (lines, resolve) => {
  const errors: FoundError[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const diagnostic = DIAGNOSTIC.exec(line);
    if (diagnostic) {
      const rawPath = diagnostic[1];
      errors.push({
        order: index,
        tool: 'cc',
        file: resolve(rawPath),
        rawPath,
        line: Number(diagnostic[2]),
        column: diagnostic[3] === undefined ? undefined : Number(diagnostic[3]),
        severity: diagnostic[4] === 'warning' ? 'warning' : 'error',
        message: diagnostic[5].trim(),
      });
      continue;
    }
    const linker = LINKER.exec(line);
    if (linker) errors.push({ order: index, tool: 'cc', file: undefined, rawPath: linker[1], line: undefined, column: undefined, severity: 'error', message: linker[2].trim() });
  }
  return errors;
};
