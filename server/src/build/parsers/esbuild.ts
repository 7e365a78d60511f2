// esbuild's log: `✘ [ERROR] message` / `▲ [WARNING] message` (X and ! where the terminal lacks Unicode), a
// blank line, then `    file:L:C:` and a code frame. Notes follow, indented by two, with locations of
// their own; they are left out. esbuild prints 0-based columns, made 1-based here.
import type { FormatParser, FoundError } from '../build-error';

const HEADER = /^[✘X▲!] \[(ERROR|WARNING)\] (.*)$/;
const LOCATION = /^ {4}(\S.*?):(\d+):(\d+):$/;

export const parseEsbuild: FormatParser = (lines, resolve) => {
  const errors: FoundError[] = [];
  for (let index = 0; index < lines.length; index++) {
    const header = HEADER.exec(lines[index]);
    if (!header) continue;
    let next = index + 1;
    while (next < lines.length && lines[next].trim() === '') next++;
    const location = LOCATION.exec(lines[next] ?? '');
    const rawPath = location?.[1];
    errors.push({
      order: index,
      tool: 'esbuild',
      file: rawPath === undefined ? undefined : resolve(rawPath),
      rawPath,
      line: location ? Number(location[2]) : undefined,
      column: location ? Number(location[3]) + 1 : undefined,
      severity: header[1] === 'WARNING' ? 'warning' : 'error',
      message: header[2].trim(),
    });
  }
  return errors;
};
