// The process's standard input as commands see it: whether it is a pipe or a file to read text from
// (`git diff | et ask`, `et ask < prompt.md`), and its whole text. A terminal, or no input at all,
// is not read unless asked for with `-`.
import { fstatSync } from 'node:fs';

export interface StandardInput {
  /** A pipe, a file or a socket: reading it ends. A terminal or a closed descriptor is not. */
  piped: boolean;
  /** All of it, as UTF-8. */
  read(): Promise<string>;
}

function isPiped(): boolean {
  if (process.stdin.isTTY) return false;
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isFile() || stat.isSocket();
  } catch {
    return false;
  }
}

export function processStandardInput(): StandardInput {
  return {
    piped: isPiped(),
    async read() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}
