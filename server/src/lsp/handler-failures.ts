// A handler's unexpected failure, as the client sees it and as the log keeps it. Left alone,
// vscode-jsonrpc answers with the raw JavaScript message ("Request electrictown/run failed with
// message: Cannot read properties of undefined…"), which tells a client nothing it can act on and may
// carry what should never leave the server. Expected failures are ResponseErrors and pass unchanged;
// anything else is logged (secrets removed) and answered with a plain InternalError.
import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import type { Environment } from '../config/env';
import { looksSecret } from '../build/step-environment';
import { redactSecrets } from '../providers/redact';

/** The values of the variables whose names say they hold a secret (`*_API_KEY`, `*_TOKEN`…). */
export function secretValues(environment: Environment): string[] {
  return Object.entries(environment).flatMap(([name, value]) => (value !== undefined && looksSecret(name) ? [value] : []));
}

/** What the client is told; the details are in the log. */
export function unexpectedFailureMessage(method: string): string {
  return `${method} failed: an unexpected error in the server (details are in the server's log)`;
}

/** An error as a log line: its stack when it has one, with every secret removed. */
export function describeFailure(error: unknown, environment: Environment): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return redactSecrets(text, secretValues(environment));
}

/**
 * Wraps request handlers so that a failure other than a ResponseError reaches the client as an
 * InternalError naming only the method, and the log as the whole error.
 */
export function answerCleanly(log: (text: string) => void, environment: () => Environment) {
  return <Args extends unknown[], Result>(method: string, handler: (...args: Args) => Result | Promise<Result>) =>
    async (...args: Args): Promise<Result> => {
      try {
        return await handler(...args);
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        log(`${method} failed unexpectedly: ${describeFailure(error, environment())}`);
        throw new ResponseError(ErrorCodes.InternalError, unexpectedFailureMessage(method));
      }
    };
}
