// The server's chat messages → the turns VS Code's chat API takes. The API has only user and assistant
// messages (its system role is a proposed API an extension cannot use), so system text becomes a user
// turn marked as instructions; turns of one role in a row are joined, since some models want them to
// alternate. Pure.
import type { LanguageModelChatParams } from '../../../server/src/protocol';

export interface EditorTurn {
  role: 'user' | 'assistant';
  content: string;
}

export const SYSTEM_PREFIX = 'Instructions for this conversation (follow them in every answer):\n\n';

export function editorTurns(messages: LanguageModelChatParams['messages']): EditorTurn[] {
  const turns: EditorTurn[] = [];
  for (const message of messages) {
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const content = message.role === 'system' ? `${SYSTEM_PREFIX}${message.content}` : message.content;
    const last = turns[turns.length - 1];
    if (last && last.role === role) last.content = `${last.content}\n\n${content}`;
    else turns.push({ role, content });
  }
  return turns;
}
