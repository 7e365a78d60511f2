// Python: a traceback (`Traceback (most recent call last):`, `  File "…", line N, in f` frames, then the
// `XxxError: message` line) is one error at its last frame inside the output directory (the stack goes on into
// the standard library or site-packages), or at its last frame when none is inside. `python -m compileall`
// prints `*** Error compiling '…'...` followed by a frame (`  File "…", line N`, older versions
// `***   File …`) and `SyntaxError: …`, or by `Sorry: IndentationError: … (name.py, line N)`, which names only
// the base name, so the path comes from the `*** Error compiling` line. Chained tracebacks give one error each.
import type { FormatParser, FoundError, ResolvePath } from '../build-error';

const TRACEBACK = /^Traceback \(most recent call last\):\s*$/;
const COMPILING = /^\*\*\* Error compiling '(.+)'\.\.\.\s*$/;
const FRAME = /^(?:\*\*\*)?\s+File "(.+)", line (\d+)/;
const SORRY = /^Sorry: (\w+): (.*) \((.+), line (\d+)\)\s*$/;
const EXCEPTION = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;
// Outside a traceback (compileall), only an error class name ends the frames.
const ERROR_NAME = /(?:Error|Exception)$/;

interface Frame {
  rawPath: string;
  line: number;
}

export const parsePython: FormatParser = (lines, resolve) => {
  const errors: FoundError[] = [];
  let frames: Frame[] = [];
  let inTraceback = false;
  let compiling: string | undefined;
  let start = 0;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (TRACEBACK.test(line)) {
      [frames, inTraceback, compiling, start] = [[], true, undefined, index];
      continue;
    }
    const compile = COMPILING.exec(line);
    if (compile) {
      [frames, inTraceback, compiling, start] = [[], false, compile[1], index];
      continue;
    }
    const frame = FRAME.exec(line);
    if (frame) {
      frames.push({ rawPath: frame[1], line: Number(frame[2]) });
      continue;
    }
    const sorry = SORRY.exec(line);
    if (sorry) {
      const rawPath = compiling ?? sorry[3];
      errors.push({ order: compiling === undefined ? index : start, tool: 'python', file: resolve(rawPath), rawPath, line: Number(sorry[4]), column: undefined, severity: 'error', message: `${sorry[1]}: ${sorry[2]}` });
      [frames, compiling] = [[], undefined];
      continue;
    }
    if (frames.length === 0 || /^\s/.test(line)) continue;
    const exception = EXCEPTION.exec(line.trimEnd());
    if (!exception || (!inTraceback && !ERROR_NAME.test(exception[1]))) continue;
    const location = innermostInside(frames, resolve);
    errors.push({ order: start, tool: 'python', file: resolve(location.rawPath), rawPath: location.rawPath, line: location.line, column: undefined, severity: 'error', message: line.trim() });
    [frames, inTraceback, compiling] = [[], false, undefined];
  }
  return errors;
};

function innermostInside(frames: readonly Frame[], resolve: ResolvePath): Frame {
  for (let index = frames.length - 1; index >= 0; index--) {
    if (resolve(frames[index].rawPath) !== undefined) return frames[index];
  }
  return frames[frames.length - 1];
}
