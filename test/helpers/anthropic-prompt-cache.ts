// Anthropic's prompt cache as the fake server plays it. A request's prompt is a list of blocks
// (system, then each message's content); a block with `cache_control` ends a prefix to cache. The
// longest prefix already cached, found at a breakpoint or at a block boundary up to 20 blocks before
// one, is read; the rest up to the last breakpoint is written, when it reaches the model's minimum
// length; a shorter prefix is neither. A written prefix can be read only once the request that wrote
// it has begun to answer (`commit`), so requests sent together all write. More than four breakpoints
// is the API's 400. Token counts are the fake's: a quarter of each block's UTF-8 bytes, rounded up.
import { createHash } from 'node:crypto';

export const MAX_BREAKPOINTS = 4;
/** How far before a breakpoint the API looks for an earlier cached prefix. */
const LOOKBACK_BLOCKS = 20;

export interface CacheUsage {
  /** `input_tokens`: neither read from nor written to the cache. */
  input: number;
  cacheRead: number;
  cacheWrite: number;
}

interface Block {
  role: string;
  text: string;
  marked: boolean;
}

export function fakeTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text, 'utf8') / 4);
}

function blocksOf(role: string, content: unknown): Block[] {
  if (typeof content === 'string') return [{ role, text: content, marked: false }];
  if (!Array.isArray(content)) return [];
  return content.map((block: { text?: unknown; cache_control?: unknown }) => ({ role, text: typeof block.text === 'string' ? block.text : '', marked: block.cache_control !== undefined }));
}

/** The prompt's blocks in the order the cache reads them: system, then the messages. */
export function promptBlocks(body: Record<string, unknown>): Block[] {
  const messages = Array.isArray(body.messages) ? (body.messages as { role?: unknown; content?: unknown }[]) : [];
  return [...blocksOf('system', body.system), ...messages.flatMap((message) => blocksOf(String(message.role), message.content))];
}

export class AnthropicPromptCache {
  private readonly cached = new Set<string>();

  constructor(readonly minimumTokens = 1024) {}

  /** What a request reads and writes; `commit` makes what it wrote readable. An error for a request the API refuses. */
  plan(body: Record<string, unknown>): { usage: CacheUsage; commit(): void } | { error: string } {
    const blocks = promptBlocks(body);
    const breakpoints = blocks.flatMap((block, index) => (block.marked ? [index] : []));
    if (breakpoints.length > MAX_BREAKPOINTS) return { error: `A maximum of ${MAX_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints.length}.` };
    const upTo: number[] = [];
    let running = 0;
    for (const block of blocks) upTo.push((running += fakeTokens(block.text)));
    const hash = createHash('sha256').update(String(body.model));
    const keys = blocks.map((block) => hash.update(`${block.role}\u0000${block.text}\u0000`).copy().digest('hex'));
    let hit = -1;
    for (const breakpoint of breakpoints) {
      for (let index = breakpoint; index >= Math.max(0, breakpoint - LOOKBACK_BLOCKS + 1); index--) {
        if (this.cached.has(keys[index])) {
          hit = Math.max(hit, index);
          break;
        }
      }
    }
    const cacheRead = hit === -1 ? 0 : upTo[hit];
    const last = breakpoints.at(-1);
    const cacheWrite = last !== undefined && last > hit && upTo[last] >= this.minimumTokens ? upTo[last] - cacheRead : 0;
    const total = running;
    return {
      usage: { input: total - cacheRead - cacheWrite, cacheRead, cacheWrite },
      commit: () => {
        for (const breakpoint of breakpoints) if (upTo[breakpoint] >= this.minimumTokens) this.cached.add(keys[breakpoint]);
      },
    };
  }
}
