// How a `type: vscode` provider reaches VS Code's language models: through the editor that runs the
// server (lsp/editor-language-models.ts), or nowhere (`et` in a terminal, a client without the
// capability), with the reason why. The model's failures come back as results, classified here.
import type { LanguageModelChatParams, LanguageModelChatResult, LanguageModelFailureCode, LanguageModelSelector } from '../../protocol';
import type { Classification } from '../provider-error';
import { describeSelector } from './model-selector';

export type ClientChatRequest = Omit<LanguageModelChatParams, 'requestId'>;

export interface ClientLanguageModels {
  /**
   * Runs one chat request on an editor model; `onText` gets each part of the answer as it comes. The
   * model's failures are an `error` result; it rejects only when `signal` aborts (with its reason).
   */
  chat(request: ClientChatRequest, onText: (text: string) => void, signal: AbortSignal): Promise<LanguageModelChatResult>;
}

export const OUTSIDE_EDITOR_REASON = "a provider of type vscode needs the electrictown extension: VS Code's language models are only reachable from inside VS Code";
export const NO_CAPABILITY_REASON = "this client does not run VS Code's language models (it did not declare `languageModels` when it started): a provider of type vscode works only in the electrictown extension";

/** What `et models` says of a `type: vscode` provider. */
export const UNLISTED_REASON = "VS Code's models are listed by the editor (its chat model picker), not by et: name one as VENDOR/FAMILY, e.g. copilot/gpt-4o";

/** Language models that cannot be reached: every request fails as `unsupported`, saying why. */
export function unreachableLanguageModels(reason: string): ClientLanguageModels {
  return { chat: async () => ({ outcome: 'error', code: 'unsupported', message: reason }) };
}

/** `et` outside the editor. */
export const OUTSIDE_EDITOR: ClientLanguageModels = unreachableLanguageModels(OUTSIDE_EDITOR_REASON);

/**
 * What the router does about an editor model's failure. Whatever is about this editor or this model
 * (not there, no consent, blocked) moves to the next model of the chain; consent refused is not asked
 * again (auth: the router rests the model for its own lifetime). Only an unexplained failure is retried.
 */
export function classifyEditorFailure(code: LanguageModelFailureCode, message: string, model: string, selector: LanguageModelSelector): Classification {
  switch (code) {
    case 'unsupported':
      return { errorClass: 'bad_request', action: 'fallback', message };
    case 'not-found':
      return { errorClass: 'not_found', action: 'fallback', message: `no VS Code language model matches ${model} (${describeSelector(selector)}): check the model id in the config, and that the extension providing it is installed and signed in${message ? ` (${message})` : ''}` };
    case 'no-permissions':
      return { errorClass: 'auth', action: 'fallback', message: `VS Code did not let electrictown use ${model}: the user has not given consent${message ? ` (${message})` : ''}` };
    case 'blocked':
      return { errorClass: 'quota_exhausted', action: 'fallback', message: `VS Code blocked electrictown from using ${model} for now${message ? ` (${message})` : ''}` };
    case 'failed':
      return { errorClass: 'server', action: 'retry', message: `${model} failed in VS Code: ${message}` };
  }
}
