// What Run Task says before asking for the task when the pre-flight check found problems: one message
// naming each, and the buttons that fix them. Pure (no vscode), so it is unit-tested.
import type { PreflightProblem, PreflightResult } from '../../../server/src/protocol';

export const CREATE_CONFIG = 'Create Config';
export const SET_API_KEY = 'Set API Key';
export const OPEN_CONFIG = 'Open Config';
export const RUN_ANYWAY = 'Run anyway';

export interface PreflightMessage {
  text: string;
  buttons: string[];
  /** For Set API Key: the variable, when exactly one is missing (with several, the picker lists them). */
  variable: string | undefined;
}

/** A run cannot start at all without a config that loads: "Run anyway" would only fail. */
const BLOCKING: readonly PreflightProblem['kind'][] = ['no-config', 'config-errors'];

/** The message, or undefined when there is nothing to say. */
export function preflightMessage(result: PreflightResult): PreflightMessage | undefined {
  const { problems } = result;
  if (problems.length === 0) return undefined;
  const kinds = new Set(problems.map((problem) => problem.kind));
  const variables = [...new Set(problems.flatMap((problem) => (problem.variable ? [problem.variable] : [])))];
  const buttons = [
    ...(kinds.has('no-config') ? [CREATE_CONFIG] : []),
    ...(variables.length > 0 ? [SET_API_KEY] : []),
    ...(result.configPath !== null ? [OPEN_CONFIG] : []),
    ...(problems.some((problem) => BLOCKING.includes(problem.kind)) ? [] : [RUN_ANYWAY]),
  ];
  const items = problems.map((problem) => problem.message);
  const text = items.length === 1 ? `Electrictown: before a run: ${items[0]}.` : `Electrictown: ${items.length} things to fix before a run: ${items.map((item, index) => `(${index + 1}) ${item}`).join('; ')}.`;
  return { text, buttons, variable: variables.length === 1 ? variables[0] : undefined };
}
