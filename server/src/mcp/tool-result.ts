// A tool's answer: the value as structured content and as JSON text (for clients that read only
// text), or a failure as a result with `isError` — in the words `et` prints on the command line
// (`error: …` / `hint: …`), arguments named as the tool spells them. Pure.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ConfigLoadError } from '../config/config-load-error';
import { CliError } from '../cli/context';
import { ProviderError } from '../providers/provider-error';
import { ChainError } from '../router/chain';
import { ChainExhaustedError } from '../router/router';
import { RunOptionsError } from '../run/run-options';
import { RunNotFoundError } from '../run/run-store';
import { argumentName } from './run-arguments';

export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: value };
}

/** Errors whose message is meant for the user as it is; anything else is a fault of ours. */
function isExpected(error: unknown): error is Error {
  return error instanceof ChainError || error instanceof ChainExhaustedError || error instanceof RunNotFoundError || ProviderError.isInstance(error);
}

/** The lines `et` would print for this failure. */
export function errorText(error: unknown): string {
  if (error instanceof CliError || error instanceof ConfigLoadError) return `error: ${error.message}${error.hint ? `\nhint: ${error.hint}` : ''}`;
  if (error instanceof RunOptionsError) return `error: ${error.field === 'task' ? 'the task' : argumentName(error.field)} ${error.rule}`;
  if (isExpected(error)) return `error: ${error.message}`;
  // No stack: it would show our paths, and nothing an agent can act on.
  return `error: internal error: ${error instanceof Error ? error.message : String(error)}`;
}

export function errorResult(error: unknown): CallToolResult {
  return { content: [{ type: 'text', text: errorText(error) }], isError: true };
}

/** Runs a tool's work; any failure becomes an error result, never a thrown error or a crash. */
export async function answering(work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    return errorResult(error);
  }
}
