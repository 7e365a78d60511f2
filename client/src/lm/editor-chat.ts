// Runs the server's `electrictown/lm/chat` on one of VS Code's models: the first model the selector
// matches answers, its text goes back in parts as it streams, and the result carries the whole text
// and the model's tokenizer's counts (VS Code reports no usage). The API is passed in, so the logic is
// tested without an editor (lm-api.ts binds it to `vscode.lm`).
import type { LanguageModelChatParams, LanguageModelChatResult } from '../../../server/src/protocol';
import { editorFailure } from './editor-failure';
import { editorTurns, type EditorTurn } from './editor-turns';

/** A cancellation token, as VS Code's. */
export interface Token {
  readonly isCancellationRequested: boolean;
}

/** The parts of a `vscode.LanguageModelChat` used here; `T`, the editor's cancellation token. */
export interface EditorModel<T extends Token = Token> {
  readonly vendor: string;
  readonly family: string;
  readonly id: string;
  sendRequest(turns: EditorTurn[], options: { justification: string }, token: T): PromiseLike<{ text: AsyncIterable<string> }>;
  countTokens(text: string, token: T): PromiseLike<number>;
}

export interface EditorModels<T extends Token = Token> {
  select(selector: LanguageModelChatParams['selector']): PromiseLike<readonly EditorModel<T>[]>;
}

/** The prompt's and the answer's tokens by the model's own tokenizer; undefined when it cannot count. */
async function countAll<T extends Token>(model: EditorModel<T>, texts: readonly string[], token: T): Promise<number | undefined> {
  try {
    const counts = await Promise.all(texts.map((text) => model.countTokens(text, token)));
    return counts.every((count) => Number.isInteger(count) && count >= 0) ? counts.reduce((sum, count) => sum + count, 0) : undefined;
  } catch {
    return undefined;
  }
}

export async function runEditorChat<T extends Token>(models: EditorModels<T>, params: LanguageModelChatParams, token: T, sendChunk: (text: string) => Promise<void>): Promise<LanguageModelChatResult> {
  try {
    const [model] = await models.select(params.selector);
    if (!model) return { outcome: 'error', code: 'not-found', message: 'no model of this editor matches it' };
    const turns = editorTurns(params.messages);
    const response = await model.sendRequest(turns, { justification: params.justification }, token);
    const parts: string[] = [];
    for await (const part of response.text) {
      if (token.isCancellationRequested) break;
      parts.push(part);
      // Each part reaches the server before the result does: notifications and the answer share one stream.
      await sendChunk(part);
    }
    const text = parts.join('');
    const [inputTokens, outputTokens] = await Promise.all([countAll(model, turns.map((turn) => turn.content), token), countAll(model, [text], token)]);
    return { outcome: 'ok', text, answeredBy: `${model.vendor}/${model.family}/${model.id}`, ...(inputTokens === undefined ? {} : { inputTokens }), ...(outputTokens === undefined ? {} : { outputTokens }) };
  } catch (error) {
    return editorFailure(error);
  }
}
