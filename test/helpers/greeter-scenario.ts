// The scenario the run engine's end-to-end tests share: a three-subtask greeter where subtask 2
// depends on subtask 1, and every phase answers well. Tests override the answers they need.
import { editBlock, fileBlock, type TeamCall } from './fake-team';

export const PLAN = `Here is the plan:

1. Write src/greet.ts exporting \`greet(name)\`.
2. Write src/main.ts that prints greet("world"). [depends: 1]
3. **Write README.md** describing both.
`;

export const GREET = 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n';
export const MAIN = "import { greet } from './greet';\nconsole.log(greet('world'));\n";
export const README = '# Greeter\n\nSays hello.\n';

/** The happy path: every phase answers well. Scenarios override what they need. */
export function goodTeam(call: TeamCall): string {
  switch (call.phase) {
    case 'decompose':
      return PLAN;
    case 'follow-up':
      return '1. Nothing more is needed.';
    case 'coordinate':
      return 'Use TypeScript ES modules; greet lives in src/greet.ts.';
    case 'work':
    case 'continue':
    case 'validate':
    case 'rematch':
    case 'revise':
      if (call.subtask === 1) return `I wrote the function.\n\n${fileBlock('src/greet.ts', GREET)}`;
      if (call.subtask === 2) return fileBlock('src/main.ts', MAIN);
      return fileBlock('README.md', README);
    case 'review':
      return 'SCORE: 9\nREASON: Clean and complete.\nFINDINGS: none';
    case 'synthesize':
      return 'Built a greeter: src/greet.ts, src/main.ts, README.md.';
    case 'polish':
      return 'A greeter library: `src/greet.ts` exports greet, `src/main.ts` prints a greeting.';
    case 'fix':
    case 'refine':
      return 'Nothing to fix.';
  }
}

/** Mayor and refinery on one model, workers on another, the witness on a third; all priced. */
export function greeterConfig(openAiBaseUrl: string): string {
  return `providers:
  openai: { type: openai, base_url: "${openAiBaseUrl}", api_key: $ET_TEST_OPENAI_KEY }
models:
  planner: { provider: openai, model: planner-1, pricing: { input: 2, output: 8 } }
  coder: { provider: openai, model: coder-1, pricing: { input: 1, output: 4 } }
  judge: { provider: openai, model: judge-1, pricing: { input: 1, output: 4 } }
roles:
  mayor: { model: planner }
  polecat: { model: coder }
  witness: { model: judge }
  refinery: { model: planner }
defaults:
  log_dir: logs
`;
}

/** A refinement of the greeter, and the plan the mayor makes for it: one edit of greet.ts. */
export const REFINEMENT = 'greet must say "Hi" instead of "Hello"';
export const FOLLOW_UP_PLAN = '1. Make greet in src/greet.ts say "Hi" instead of "Hello". [files: src/greet.ts]\n';
export const GREET_HI = GREET.replace('Hello', 'Hi');

/**
 * The greeter, then a follow-up round whose worker (subtask 4) edits greet.ts with SEARCH/REPLACE — but
 * only when it was given its earlier conversation: its own answer of round 1 (subtask 1's).
 */
export function refiningTeam(call: TeamCall): string {
  if (call.phase === 'follow-up') return FOLLOW_UP_PLAN;
  if (call.phase === 'work' && call.subtask === 4) {
    const remembers = call.messages.some((message) => message.role === 'assistant' && message.content.includes('I wrote the function.'));
    return remembers ? `Changing my greeting.\n\n${editBlock('src/greet.ts', '  return `Hello, ${name}!`;', '  return `Hi, ${name}!`;', 'ts')}` : 'I do not know this file.';
  }
  if (call.phase === 'synthesize' && call.user.includes('Subtask 4')) return 'greet now says Hi.';
  return goodTeam(call);
}
