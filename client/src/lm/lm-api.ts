// `vscode.lm` as editor-chat.ts uses it, where this VS Code has it: `selectChatModels` and
// `LanguageModelChatMessage` (finalised in 1.90, so present on every supported version, but read at
// run time so that an editor without them answers "not supported" instead of failing).
import * as vscode from 'vscode';
import type { LanguageModelChatParams, LanguageModelChatResult } from '../../../server/src/protocol';
import { runEditorChat, type EditorModel, type EditorModels } from './editor-chat';

function editorModels(): EditorModels<vscode.CancellationToken> | undefined {
  const lm: Partial<typeof vscode.lm> | undefined = vscode.lm;
  const messages: Partial<typeof vscode.LanguageModelChatMessage> | undefined = vscode.LanguageModelChatMessage;
  const select = lm?.selectChatModels;
  const user = messages?.User;
  const assistant = messages?.Assistant;
  if (typeof select !== 'function' || typeof user !== 'function' || typeof assistant !== 'function') return undefined;
  return {
    select: async (selector) =>
      (await select(selector)).map(
        (model): EditorModel<vscode.CancellationToken> => ({
          vendor: model.vendor,
          family: model.family,
          id: model.id,
          sendRequest: (turns, options, token) => model.sendRequest(turns.map((turn) => (turn.role === 'user' ? user(turn.content) : assistant(turn.content))), options, token),
          countTokens: (text, token) => model.countTokens(text, token),
        }),
      ),
  };
}

/** The handler of `electrictown/lm/chat`. */
export function answerChat(params: LanguageModelChatParams, token: vscode.CancellationToken, sendChunk: (text: string) => Promise<void>): Promise<LanguageModelChatResult> {
  const models = editorModels();
  if (!models) return Promise.resolve({ outcome: 'error', code: 'unsupported', message: `this VS Code (${vscode.version}) has no language model API (vscode.lm)` });
  return runEditorChat(models, params, token, sendChunk);
}
