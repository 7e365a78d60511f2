// A build's output (compilers, bundlers, linters, interpreters) read into errors, each tied to the generated
// file it names, so that it can go back to the worker that wrote the file. Pure: the caller runs the build.
//
// One small parser per format runs over the ANSI-free lines, each a single forward pass with line-anchored
// regexes, so megabytes of output cost linear time. Their errors merge in output order; the generic
// `path:L[:C]: message` reading is used only when no specific parser found anything.
import type { BuildError, FormatParser, FoundError } from './build-error';
import { resolveBuildPath, stripAnsi } from './build-paths';
import { parseCc } from './parsers/cc';
import { parseEsbuild } from './parsers/esbuild';
import { parseEslint } from './parsers/eslint';
import { parseGeneric } from './parsers/generic';
import { parseGo } from './parsers/go';
import { parsePython } from './parsers/python';
import { parseRustc } from './parsers/rustc';
import { parseTsc } from './parsers/tsc';

export type { BuildError, BuildErrorSeverity, BuildTool } from './build-error';

const PARSERS: readonly FormatParser[] = [parseGo, parseTsc, parseEsbuild, parseEslint, parseRustc, parseCc, parsePython];

/** The errors and warnings in a build's output, in output order, without duplicates; paths relative to `outputDirectory` (absolute). */
export function parseBuildErrors(output: string, outputDirectory: string): BuildError[] {
  const lines = stripAnsi(output).split(/\r\n|\r|\n/);
  const resolve = (rawPath: string) => resolveBuildPath(rawPath, outputDirectory);
  let found = PARSERS.flatMap((parse) => parse(lines, resolve));
  if (found.length === 0) found = parseGeneric(lines, resolve);
  // Array#sort is stable: errors read from the same line keep their parser's order.
  found.sort((a, b) => a.order - b.order);
  const seen = new Set<string>();
  const errors: BuildError[] = [];
  for (const error of found) {
    const key = [error.file ?? error.rawPath ?? '', error.line ?? '', error.column ?? '', error.message].join('\0');
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push(withoutOrder(error));
  }
  return errors;
}

/**
 * A stable string for "the same errors came back": the distinct `file:line:message` of the errors (warnings
 * ignored), sorted. Columns are left out, since a fix attempt often shifts them without fixing anything.
 */
export function errorSignature(errors: readonly BuildError[]): string {
  const keys = new Set(errors.filter((error) => error.severity === 'error').map((error) => `${error.file ?? error.rawPath ?? ''}:${error.line ?? ''}:${error.message}`));
  return [...keys].sort().join('\n');
}

function withoutOrder({ order: _order, ...error }: FoundError): BuildError {
  return error;
}
