// A thin wrapper over util.parseArgs that turns its errors into usage errors with the command's usage.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './context';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<T extends Options>(args: string[], options: T, usage: string, maxPositionals: number) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0].replace(/\. To specify .*$/, '') : String(error);
    throw new UsageError(message, `usage: ${usage}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`, `usage: ${usage}`);
  }
  return parsed;
}
