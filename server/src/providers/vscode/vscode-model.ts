// A model of the editor's own (`type: vscode`): the request goes to the client that runs the server,
// which asks `vscode.lm`; the answer streams back in parts. The editor reports no usage, so the counts
// are the model's tokenizer's (or ours) and flagged as estimated. No finish reason either: `stop`.
import type { Timeouts } from '../http';
import type { CallOptions, GenerateResult, LanguageModel, StreamEvent, Usage } from '../language-model';
import { ProviderError, type Classification } from '../provider-error';
import { estimatePromptTokens, estimateTokens } from '../token-estimate';
import { classifyEditorFailure, type ClientLanguageModels } from './client-language-models';
import { parseModelSelector } from './model-selector';
import { PushedText } from './pushed-text';

/** What VS Code shows when it asks the user to let electrictown use a model. */
export const JUSTIFICATION = 'electrictown sends the prompts of the run you started to this model.';

export class VscodeModel implements LanguageModel {
  readonly providerType = 'vscode' as const;

  constructor(
    readonly provider: string,
    readonly modelId: string,
    private readonly models: ClientLanguageModels,
    private readonly timeouts: Pick<Timeouts, 'firstByteMs' | 'idleMs'>,
  ) {}

  private error(classification: Classification): ProviderError {
    return new ProviderError(this.provider, 'vscode', classification);
  }

  async generate(options: CallOptions): Promise<GenerateResult> {
    const parts: string[] = [];
    for await (const event of this.stream(options)) {
      if (event.type === 'text-delta') parts.push(event.text);
      else return { text: parts.join(''), finishReason: event.finishReason, rawFinishReason: event.rawFinishReason, usage: event.usage, usageEstimated: event.usageEstimated };
    }
    throw this.error({ errorClass: 'truncated_stream', action: 'retry', message: 'the answer ended without its end' });
  }

  async *stream(options: CallOptions): AsyncGenerator<StreamEvent> {
    const parsed = parseModelSelector(this.modelId);
    if (!parsed.ok) throw this.error({ errorClass: 'bad_request', action: 'fail', message: parsed.message });
    // Our own deadlines over the caller's signal: an editor that stops answering times out like any provider.
    const watchdog = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = (milliseconds: number, what: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => watchdog.abort(this.error({ errorClass: 'timeout', action: 'retry', message: `no ${what} from VS Code's model in ${Math.round(milliseconds / 1000)} s` })), milliseconds);
    };
    arm(this.timeouts.firstByteMs, 'answer');
    const text = new PushedText();
    const request = {
      model: this.modelId,
      selector: parsed.selector,
      messages: options.messages.map(({ role, content }) => ({ role, content })),
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      justification: JUSTIFICATION,
    };
    const onText = (part: string) => {
      arm(this.timeouts.idleMs, 'text');
      text.push(part);
    };
    const answer = this.models.chat(request, onText, AbortSignal.any([options.signal, watchdog.signal]));
    answer.then(
      () => text.end(),
      (error: unknown) => text.fail(error),
    );
    let streamed = '';
    let ended = false;
    try {
      for await (const part of text) {
        streamed += part;
        yield { type: 'text-delta', text: part };
      }
      const result = await answer;
      ended = true;
      if (result.outcome === 'error') throw this.error(classifyEditorFailure(result.code, result.message, this.modelId, parsed.selector));
      // The result holds the whole answer; parts lost on the way are added at the end.
      if (result.text.length > streamed.length && result.text.startsWith(streamed)) {
        yield { type: 'text-delta', text: result.text.slice(streamed.length) };
        streamed = result.text;
      }
      const usage: Usage = { inputTokens: result.inputTokens ?? estimatePromptTokens(options.messages), cachedInputTokens: undefined, outputTokens: result.outputTokens ?? estimateTokens(streamed), reasoningTokens: undefined };
      yield { type: 'end', finishReason: 'stop', rawFinishReason: undefined, usage, usageEstimated: true };
    } catch (error) {
      if (!options.signal.aborted && watchdog.signal.aborted) throw watchdog.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      // A reader that stopped early (an answer past the size cap) ends the editor's request too.
      if (!ended) watchdog.abort(this.error({ errorClass: 'truncated_stream', action: 'retry', message: 'the reader stopped' }));
    }
  }
}
