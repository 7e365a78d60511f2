// The `type: vscode` adapter against a fake client connection: the request the client is sent, the
// answer streamed back in chunks, cancellation, a client that stops answering, failures the client
// reports, and what a router does with it — inside the editor and outside it.
import assert from 'node:assert/strict';
import { CancellationToken, ErrorCodes, ResponseError } from 'vscode-languageserver/node';
import { analyzeConfig } from '../../../server/src/config/analyze';
import type { LedgerEntry } from '../../../server/src/cost/ledger';
import { EditorLanguageModels, readChatResult } from '../../../server/src/lsp/editor-language-models';
import type { LanguageModelChatParams, LanguageModelChatResult } from '../../../server/src/protocol';
import type { StreamEvent } from '../../../server/src/providers/language-model';
import { ProviderError } from '../../../server/src/providers/provider-error';
import { OUTSIDE_EDITOR_REASON } from '../../../server/src/providers/vscode/client-language-models';
import { VscodeModel } from '../../../server/src/providers/vscode/vscode-model';
import { EndpointHealth } from '../../../server/src/router/endpoint-health';
import { ModelRouter } from '../../../server/src/router/model-router';
import { FakeOpenAi } from '../../helpers/fake-openai';

type Answer = (params: LanguageModelChatParams, chunk: (text: string) => void, token: CancellationToken) => Promise<unknown>;

/** A client connection that answers `electrictown/lm/chat` with `answer`, sending chunks on the way. */
function fakeClient(answer: Answer) {
  const sent: { method: string; params: LanguageModelChatParams }[] = [];
  let models: EditorLanguageModels | undefined = undefined;
  const connection = {
    sendRequest: (type: { method: string }, params: LanguageModelChatParams, token: CancellationToken) => {
      sent.push({ method: type.method, params });
      return answer(params, (text) => models?.chunk({ requestId: params.requestId, text }), token);
    },
  };
  models = new EditorLanguageModels(connection as never);
  return { models, sent };
}

const TIMEOUTS = { firstByteMs: 5000, idleMs: 5000 };
const OPTIONS = { messages: [{ role: 'system' as const, content: 'Be brief.' }, { role: 'user' as const, content: 'Name a prime.' }], maxTokens: 100, temperature: 0.2 };

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(ProviderError.isInstance(error), `a ProviderError, not ${String(error)}`);
  return error;
}

describe('the vscode adapter over a client connection', () => {
  it('sends the selector, messages and options once, streams the chunks as they come, and flags the usage as estimated', async () => {
    const { models, sent } = fakeClient(async (_params, chunk) => {
      chunk('Se');
      await new Promise((resolve) => setTimeout(resolve, 5));
      chunk('ven.');
      return { outcome: 'ok', text: 'Seven.', answeredBy: 'copilot/gpt-4o/gpt-4o-2024', inputTokens: 12, outputTokens: 3 } satisfies LanguageModelChatResult;
    });
    const model = new VscodeModel('vscode', 'copilot/gpt-4o', models, TIMEOUTS);
    const events = await collect(model.stream({ ...OPTIONS, signal: AbortSignal.timeout(5000) }));
    assert.deepEqual(events, [
      { type: 'text-delta', text: 'Se' },
      { type: 'text-delta', text: 'ven.' },
      { type: 'end', finishReason: 'stop', rawFinishReason: undefined, usage: { inputTokens: 12, cachedInputTokens: undefined, outputTokens: 3, reasoningTokens: undefined }, usageEstimated: true },
    ]);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].method, 'electrictown/lm/chat');
    const { requestId, justification, ...rest } = sent[0].params;
    assert.match(requestId, /\S/);
    assert.match(justification, /electrictown/);
    assert.deepEqual(rest, { model: 'copilot/gpt-4o', selector: { vendor: 'copilot', family: 'gpt-4o' }, messages: OPTIONS.messages, maxTokens: 100, temperature: 0.2 });
  });

  it('adds the text the chunks missed from the result, and estimates counts the editor could not give', async () => {
    const { models } = fakeClient(async (_params, chunk) => {
      chunk('Two');
      return { outcome: 'ok', text: 'Two and three.', answeredBy: 'copilot/gpt-4o/x' };
    });
    const result = await new VscodeModel('vscode', 'copilot/gpt-4o', models, TIMEOUTS).generate({ ...OPTIONS, signal: AbortSignal.timeout(5000) });
    assert.equal(result.text, 'Two and three.');
    assert.equal(result.usageEstimated, true);
    assert.ok((result.usage.inputTokens ?? 0) > 0 && (result.usage.outputTokens ?? 0) > 0, JSON.stringify(result.usage));
  });

  it('cancels the client’s request when the caller aborts, and stops waiting at once', async () => {
    let cancelled = false;
    const { models } = fakeClient((_params, _chunk, token) => new Promise(() => token.onCancellationRequested(() => (cancelled = true))));
    const controller = new AbortController();
    const started = Date.now();
    const generating = new VscodeModel('vscode', 'copilot/gpt-4o', models, TIMEOUTS).generate({ ...OPTIONS, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    await assert.rejects(generating, /user cancelled/);
    assert.ok(cancelled, 'the token given to sendRequest was cancelled ($/cancelRequest)');
    assert.ok(Date.now() - started < 2000);
  });

  it('times out a client that never answers, as a retryable timeout, and cancels its request', async () => {
    let cancelled = false;
    const { models } = fakeClient((_params, _chunk, token) => new Promise(() => token.onCancellationRequested(() => (cancelled = true))));
    const error = await failure(new VscodeModel('vscode', 'copilot/gpt-4o', models, { firstByteMs: 50, idleMs: 50 }).generate({ ...OPTIONS, signal: AbortSignal.timeout(5000) }));
    assert.deepEqual([error.errorClass, error.classification.action], ['timeout', 'retry']);
    assert.ok(cancelled);
  });

  it('turns the client’s failures into classified errors: consent refused and a missing model fall back', async () => {
    const reply = (result: unknown) => fakeClient(async () => result).models;
    const consent = await failure(new VscodeModel('vscode', 'copilot/gpt-4o', reply({ outcome: 'error', code: 'no-permissions', message: 'The user did not consent' }), TIMEOUTS).generate({ ...OPTIONS, signal: AbortSignal.timeout(5000) }));
    assert.deepEqual([consent.provider, consent.providerType, consent.errorClass, consent.classification.action], ['vscode', 'vscode', 'auth', 'fallback']);
    const missing = await failure(new VscodeModel('vscode', 'copilot/gpt-9', reply({ outcome: 'error', code: 'not-found', message: '' }), TIMEOUTS).generate({ ...OPTIONS, signal: AbortSignal.timeout(5000) }));
    assert.match(missing.message, /no VS Code language model matches copilot\/gpt-9/);
    // An answer that is not a result is a failure, never an empty answer.
    const malformed = await failure(new VscodeModel('vscode', 'copilot/gpt-4o', reply({ outcome: 'ok' }), TIMEOUTS).generate({ ...OPTIONS, signal: AbortSignal.timeout(5000) }));
    assert.deepEqual([malformed.errorClass, malformed.classification.action], ['server', 'retry']);
  });

  it('takes a client without a handler (MethodNotFound) as an editor that cannot serve the model', async () => {
    const { models } = fakeClient(async () => {
      throw new ResponseError(ErrorCodes.MethodNotFound, 'Unhandled method electrictown/lm/chat');
    });
    const error = await failure(new VscodeModel('vscode', 'copilot/gpt-4o', models, TIMEOUTS).generate({ ...OPTIONS, signal: AbortSignal.timeout(5000) }));
    assert.deepEqual([error.errorClass, error.classification.action], ['bad_request', 'fallback']);
  });

  it('refuses a model id the selector grammar does not read, before asking the client', async () => {
    const { models, sent } = fakeClient(async () => ({ outcome: 'ok', text: 'x', answeredBy: 'a' }));
    const error = await failure(new VscodeModel('vscode', 'gpt-4o', models, TIMEOUTS).generate({ ...OPTIONS, signal: AbortSignal.timeout(5000) }));
    assert.deepEqual([error.errorClass, error.classification.action], ['bad_request', 'fail']);
    assert.equal(sent.length, 0);
  });

  it('checks the shape of the client’s result', () => {
    assert.deepEqual(readChatResult({ outcome: 'ok', text: 'a', answeredBy: 'v/f/i', inputTokens: 3 }), { outcome: 'ok', text: 'a', answeredBy: 'v/f/i', inputTokens: 3 });
    assert.deepEqual(readChatResult({ outcome: 'error', code: 'blocked', message: 'm' }), { outcome: 'error', code: 'blocked', message: 'm' });
    for (const bad of [null, 'text', { outcome: 'ok', text: 'a' }, { outcome: 'ok', text: 'a', answeredBy: 'x', inputTokens: -1 }, { outcome: 'error', code: 'teapot', message: 'm' }]) {
      assert.equal(readChatResult(bad).outcome, 'error', JSON.stringify(bad));
    }
  });
});

describe('a router with a vscode model first in the chain', () => {
  let openai: FakeOpenAi;
  beforeEach(async () => (openai = await FakeOpenAi.start()));
  afterEach(() => openai.stop());
  const ENVIRONMENT = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };

  function router(ledger: LedgerEntry[], clientModels?: EditorLanguageModels) {
    const config = analyzeConfig(
      `providers:
  vscode: { type: vscode }
  openai: { type: openai, base_url: "${openai.baseUrl}", api_key: $ET_TEST_OPENAI_KEY }
models:
  copilot: { provider: vscode, model: copilot/gpt-4o }
  gpt: { provider: openai, model: gpt-4.1-mini-2025-04-14 }
roles:
  polecat: { model: copilot, fallbacks: [gpt] }
`,
      ENVIRONMENT,
    ).config;
    assert.ok(config);
    return new ModelRouter({ config, environment: ENVIRONMENT, ledger: { record: (entry) => ledger.push(entry) }, health: new EndpointHealth(), ...(clientModels ? { clientModels } : {}) });
  }

  it('outside the editor: the vscode model fails as a classified error naming why, and the chain moves on', async () => {
    openai.reply({ kind: 'answer', text: 'Seven.' });
    const ledger: LedgerEntry[] = [];
    const events: string[] = [];
    const routed = await router(ledger).request({ target: { role: 'polecat' }, messages: OPTIONS.messages, signal: AbortSignal.timeout(10_000), onEvent: (event) => void (event.type === 'attempt-end' && events.push(event.message ?? '')) });
    assert.equal(routed.result.text, 'Seven.');
    assert.deepEqual(ledger.map((entry) => [entry.alias, entry.providerType, entry.outcome, entry.errorClass]), [
      ['copilot', 'vscode', 'fallback', 'bad_request'],
      ['gpt', 'openai', 'ok', undefined],
    ]);
    assert.equal(events[0], `vscode: ${OUTSIDE_EDITOR_REASON}`);
    assert.match(OUTSIDE_EDITOR_REASON, /needs the electrictown extension: VS Code's language models are only reachable from inside VS Code/);
    assert.equal(openai.requests.length, 1);
  });

  it('inside the editor: the editor’s model answers, unpriced, its usage marked estimated in the ledger', async () => {
    const { models } = fakeClient(async (_params, chunk) => {
      chunk('Eleven.');
      return { outcome: 'ok', text: 'Eleven.', answeredBy: 'copilot/gpt-4o/gpt-4o', inputTokens: 9, outputTokens: 2 };
    });
    const ledger: LedgerEntry[] = [];
    const routed = await router(ledger, models).request({ target: { role: 'polecat' }, messages: OPTIONS.messages, signal: AbortSignal.timeout(10_000), stream: true });
    assert.equal(routed.result.text, 'Eleven.');
    assert.deepEqual(ledger.map((entry) => [entry.alias, entry.outcome, entry.estimated, entry.usd, entry.tokens.input, entry.tokens.output]), [['copilot', 'ok', true, null, 9, 2]]);
    assert.equal(openai.requests.length, 0);
  });
});
