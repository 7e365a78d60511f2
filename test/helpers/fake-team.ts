// Role-aware answers for the run engine's tests: each request to a fake provider is recognised as a
// phase (by the built-in prompt it carries) and a subtask (by the numbering the engine writes), and a
// scenario decides the answer. Parallel workers arrive in any order, so answers cannot be a queue.
import type { ChatMessage } from '../../server/src/providers/language-model';
import { builtInPrompt } from '../../server/src/prompts';
import type { RecordedRequest } from './fake-server';
import { promptBlocks } from './anthropic-prompt-cache';
import type { AnthropicReply } from './fake-anthropic';
import type { OpenAiReply } from './fake-openai';

export type TeamPhase = 'decompose' | 'follow-up' | 'coordinate' | 'work' | 'continue' | 'validate' | 'rematch' | 'revise' | 'review' | 'fix' | 'refine' | 'synthesize' | 'polish';

export interface TeamCall {
  phase: TeamPhase;
  /** 1-based, for work, continue, validate, rematch, revise and review (in a continued conversation, its new subtask). */
  subtask: number | undefined;
  /** The model id asked for. */
  model: string;
  messages: ChatMessage[];
  /** The last user message. */
  user: string;
  /** The first turn: the user messages before any answer (a worker's shared part, then its own), joined. */
  opening: string;
}

/** The user messages before the first assistant message, joined as one text. */
function openingOf(messages: readonly ChatMessage[]): string {
  const end = messages.findIndex((message) => message.role === 'assistant');
  return (end === -1 ? messages : messages.slice(0, end)).filter((message) => message.role === 'user').map((message) => message.content).join('\n\n');
}

const opening = (name: Parameters<typeof builtInPrompt>[0]) => builtInPrompt(name).slice(0, 60);

export function recogniseCall(request: RecordedRequest): TeamCall {
  const messages = (request.body?.messages ?? []) as ChatMessage[];
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  const user = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  const firstUser = openingOf(messages);
  const model = String(request.body?.model ?? '');
  const base = { model, messages, user, opening: firstUser };
  if (system.startsWith(opening('mayor-decompose'))) return { ...base, phase: 'decompose', subtask: undefined };
  if (system.startsWith(opening('mayor-followup'))) return { ...base, phase: 'follow-up', subtask: undefined };
  if (system.startsWith(opening('mayor-coordinate'))) return { ...base, phase: 'coordinate', subtask: undefined };
  if (system.startsWith(opening('mayor-synthesize'))) return { ...base, phase: 'synthesize', subtask: undefined };
  if (system.startsWith(opening('refinery-summarize'))) return { ...base, phase: 'polish', subtask: undefined };
  if (system.startsWith(opening('refinery-feedback'))) return { ...base, phase: 'refine', subtask: undefined };
  if (system.startsWith(opening('witness'))) return { ...base, phase: 'review', subtask: Number(/The subtask \((\d+)\)/.exec(user)?.[1]) };
  if (system.startsWith(opening('polecat')) && /The project's build \(`/.test(firstUser)) {
    const owner = /Your subtask \((\d+)\):/.exec(firstUser)?.[1];
    return { ...base, phase: 'fix', subtask: owner === undefined ? undefined : Number(owner) };
  }
  if (system.startsWith(opening('polecat'))) {
    // A worker that goes on in a follow-up round: its new subtask is named in the refinement's turn.
    const continued = messages.filter((message) => message.role === 'user').map((message) => /^The user looked at the result and asks for a refinement[\s\S]*?Your part of it \(subtask (\d+)\)/.exec(message.content)?.[1]).filter((index) => index !== undefined).at(-1);
    const subtask = Number(continued ?? /Your subtask \((\d+) of \d+\)/.exec(firstUser)?.[1]);
    const phase = user.startsWith('Your answer cannot be used') ? 'validate' : user.startsWith('A reviewer scored') ? 'revise' : user.startsWith('Your answer was cut off') ? 'continue' : user.startsWith('Another worker changed') ? 'rematch' : 'work';
    return { ...base, phase, subtask };
  }
  throw new Error(`the fake team does not recognise this request: ${system.slice(0, 80)}`);
}

/** A text answer with made-up but plausible token counts. */
export function answer(text: string, usage = { prompt: 100, completion: 50 }): OpenAiReply {
  return { kind: 'answer', text, usage };
}

/** One SEARCH/REPLACE block in aider's format, under the file's path, in a fence as models usually write it. */
export function editBlock(path: string, search: string, replace: string, language = ''): string {
  const lines = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);
  return `${path}\n\`\`\`${language}\n<<<<<<< SEARCH\n${lines(search)}=======\n${lines(replace)}>>>>>>> REPLACE\n\`\`\``;
}

export function fileBlock(path: string, content: string): string {
  return `===FILE: ${path}===\n${content}${content.endsWith('\n') ? '' : '\n'}===ENDFILE===`;
}

/** Answers every request from `scenario`; the calls are recorded in arrival order. */
export function team(scenario: (call: TeamCall) => OpenAiReply | string) {
  const calls: TeamCall[] = [];
  return {
    calls,
    responder(request: RecordedRequest): OpenAiReply {
      const call = recogniseCall(request);
      calls.push(call);
      const reply = scenario(call);
      return typeof reply === 'string' ? answer(reply) : reply;
    },
  };
}

/** An Anthropic request as chat messages: its system prompt, then each text block of each turn. */
function anthropicMessages(body: Record<string, unknown> | undefined): ChatMessage[] {
  return promptBlocks(body ?? {}).map((block) => ({ role: block.role as ChatMessage['role'], content: block.text }));
}

/** As `team`, for a fake Anthropic server: the usage is the fake's own (with `cachePrompts`, its cache's). */
export function anthropicTeam(scenario: (call: TeamCall) => string) {
  const calls: TeamCall[] = [];
  return {
    calls,
    responder(request: RecordedRequest): AnthropicReply {
      const call = recogniseCall({ ...request, body: { ...request.body, messages: anthropicMessages(request.body) } });
      calls.push(call);
      return { kind: 'answer', text: scenario(call), input: 100, output: 50 };
    },
  };
}
