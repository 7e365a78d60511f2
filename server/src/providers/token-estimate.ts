// A cheap token estimate, without a tokenizer: about four bytes of UTF-8 per token. It runs low on
// code and on scripts like CJK, which is the safe side for both of its uses: refusing a request before
// sending it (pre-flight against `context_window`) and recognising Ollama's silent truncation.
import type { ChatMessage } from './language-model';

const BYTES_PER_TOKEN = 4;
/** Role markers and separators each chat template adds per message. */
const TOKENS_PER_MESSAGE = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / BYTES_PER_TOKEN);
}

export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += TOKENS_PER_MESSAGE + estimateTokens(message.content);
  return total;
}
