// The extension's side of `electrictown/lm/chat`, against a fake `vscode.lm`: system text folded into
// user turns (the API has no system role), the first matching model answering in streamed parts, the
// model's tokenizer counting both ways, and LanguageModelError codes mapped for the server.
import assert from 'node:assert/strict';
import { runEditorChat, type EditorModel, type Token } from '../../../client/src/lm/editor-chat';
import { editorFailure } from '../../../client/src/lm/editor-failure';
import { editorTurns, SYSTEM_PREFIX, type EditorTurn } from '../../../client/src/lm/editor-turns';
import type { LanguageModelChatParams } from '../../../server/src/protocol';

const PARAMS: LanguageModelChatParams = {
  requestId: 'lm-1',
  model: 'copilot/gpt-4o',
  selector: { vendor: 'copilot', family: 'gpt-4o' },
  messages: [
    { role: 'system', content: 'Answer in one word.' },
    { role: 'user', content: 'Name a prime.' },
  ],
  justification: 'electrictown sends the prompts of the run you started to this model.',
};

/** A LanguageModelError as VS Code makes one: an Error whose `code` is the static factory's name. */
function languageModelError(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'LanguageModelError', code });
}

function fakeModel(parts: readonly string[], options: { fail?: Error; countFails?: boolean } = {}) {
  const requests: { turns: EditorTurn[]; justification: string }[] = [];
  const model: EditorModel = {
    vendor: 'copilot',
    family: 'gpt-4o',
    id: 'gpt-4o-2024-11-20',
    async sendRequest(turns, { justification }) {
      requests.push({ turns, justification });
      if (options.fail) throw options.fail;
      return {
        text: (async function* () {
          yield* parts;
        })(),
      };
    },
    async countTokens(text) {
      if (options.countFails) throw new Error('no tokenizer');
      return text.split(/\s+/).filter(Boolean).length;
    },
  };
  return { model, requests };
}

const LIVE: Token = { isCancellationRequested: false };

describe('the messages VS Code’s models are sent', () => {
  it('fold system text into a marked user turn, and join turns of one role in a row', () => {
    assert.deepEqual(editorTurns(PARAMS.messages), [{ role: 'user', content: `${SYSTEM_PREFIX}Answer in one word.\n\nName a prime.` }]);
    assert.deepEqual(
      editorTurns([
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'assistant', content: 'c' },
        { role: 'user', content: 'd' },
      ]),
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b\n\nc' },
        { role: 'user', content: 'd' },
      ],
    );
  });
});

describe('runEditorChat', () => {
  it('asks the first model the selector matches, streams each part before answering, and counts tokens with its tokenizer', async () => {
    const { model, requests } = fakeModel(['Two', ' and three']);
    const selected: unknown[] = [];
    const chunks: string[] = [];
    const result = await runEditorChat({ select: async (selector) => (selected.push(selector), [model, fakeModel(['other']).model]) }, PARAMS, LIVE, async (text) => void chunks.push(text));
    assert.deepEqual(selected, [PARAMS.selector]);
    assert.deepEqual(chunks, ['Two', ' and three']);
    assert.deepEqual(requests, [{ turns: editorTurns(PARAMS.messages), justification: PARAMS.justification }]);
    // Input: the one turn's words; output: "Two and three".
    const input = editorTurns(PARAMS.messages)[0].content.split(/\s+/).filter(Boolean).length;
    assert.deepEqual(result, { outcome: 'ok', text: 'Two and three', answeredBy: 'copilot/gpt-4o/gpt-4o-2024-11-20', inputTokens: input, outputTokens: 3 });
  });

  it('leaves the counts out when the model cannot count (the server estimates them)', async () => {
    const result = await runEditorChat({ select: async () => [fakeModel(['ok'], { countFails: true }).model] }, PARAMS, LIVE, async () => {});
    assert.deepEqual(result, { outcome: 'ok', text: 'ok', answeredBy: 'copilot/gpt-4o/gpt-4o-2024-11-20' });
  });

  it('answers not-found when no model matches', async () => {
    const result = await runEditorChat({ select: async () => [] }, PARAMS, LIVE, async () => {});
    assert.equal(result.outcome === 'error' && result.code, 'not-found');
  });

  it('maps consent refused, blocked and not found, and passes any other failure on as failed', async () => {
    const cases: [Error, string][] = [
      [languageModelError('NoPermissions', 'The user did not give consent'), 'no-permissions'],
      [languageModelError('Blocked', 'Too many requests'), 'blocked'],
      [languageModelError('NotFound', 'Language model is unknown'), 'not-found'],
      [new Error('socket hang up'), 'failed'],
    ];
    for (const [error, code] of cases) {
      const result = await runEditorChat({ select: async () => [fakeModel([], { fail: error }).model] }, PARAMS, LIVE, async () => {});
      assert.deepEqual(result, { outcome: 'error', code, message: error.message });
    }
    assert.deepEqual(editorFailure('plain'), { outcome: 'error', code: 'failed', message: 'plain' });
  });

  it('stops reading the answer once the request is cancelled', async () => {
    const token = { isCancellationRequested: false };
    const chunks: string[] = [];
    await runEditorChat({ select: async () => [fakeModel(['a', 'b', 'c']).model] }, PARAMS, token, async (text) => {
      chunks.push(text);
      token.isCancellationRequested = true;
    });
    assert.deepEqual(chunks, ['a']);
  });
});
