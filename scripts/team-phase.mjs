// Which phase of a run a chat request belongs to, read from the built-in prompt it carries, and which
// subtask it is for: what the stand-in teams (the demo, the run benchmark) answer by.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const prompts = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'server', 'prompts');
const opening = (name) => readFileSync(path.join(prompts, `${name}.md`), 'utf8').trim().slice(0, 60);
const PHASES = [
  ['decompose', opening('mayor-decompose')],
  ['coordinate', opening('mayor-coordinate')],
  ['synthesize', opening('mayor-synthesize')],
  ['polish', opening('refinery-summarize')],
  ['review', opening('witness')],
  ['work', opening('polecat')],
];

/** { phase, subtask, user } for an OpenAI-style request body; phase is undefined for other requests. */
export function teamPhase(body) {
  const messages = body.messages ?? [];
  const system = messages.find((message) => message.role === 'system')?.content ?? '';
  const users = messages.filter((message) => message.role === 'user').map((message) => message.content);
  const phase = PHASES.find(([, text]) => system.startsWith(text))?.[0];
  const numbered = /Your subtask \((\d+)(?: of \d+)?\)|The subtask \((\d+)\)/.exec(users.join("\n"));
  return { phase, subtask: numbered ? Number(numbered[1] ?? numbered[2]) : undefined, user: users.at(-1) ?? '' };
}
