// rustc / cargo: `error[E0308]: message` or `warning: message`, then ` --> file:L:C`. `help:` and `= note:`
// lines belong to the diagnostic above and are dropped; cargo's closing summaries are not errors. A header
// without a location (a link failure) is kept only in output that is recognisably cargo's or rustc's, since
// other tools print `error: …` lines too.
import type { FormatParser, FoundError } from '../build-error';

const HEADER = /^(error|warning)(?:\[(\w+)\])?: (.*)$/;
const LOCATION = /^\s*--> (.+):(\d+):(\d+)$/;
const COMPILING = /^\s+Compiling \S+ v\d/;
const SUMMARY = /^(?:could not compile|aborting due to|build failed|`[^`]*` \(.*\) generated \d+ warnings?|\d+ warnings? emitted)/;

export const parseRustc: FormatParser = (lines, resolve) => {
  const errors: FoundError[] = [];
  const unlocated: FoundError[] = [];
  let isRust = false;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (COMPILING.test(line)) isRust = true;
    const header = HEADER.exec(line);
    if (!header || SUMMARY.test(header[3])) continue;
    const location = LOCATION.exec(lines[index + 1] ?? '');
    const message = header[2] === undefined ? header[3].trim() : `${header[2]}: ${header[3].trim()}`;
    const severity = header[1] === 'warning' ? 'warning' : 'error';
    if (!location) {
      unlocated.push({ order: index, tool: 'rustc', file: undefined, rawPath: undefined, line: undefined, column: undefined, severity, message });
      continue;
    }
    isRust = true;
    const rawPath = location[1];
    errors.push({ order: index, tool: 'rustc', file: resolve(rawPath), rawPath, line: Number(location[2]), column: Number(location[3]), severity, message });
  }
  return isRust ? [...errors, ...unlocated] : errors;
};
