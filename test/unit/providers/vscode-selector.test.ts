// A `type: vscode` model id → VS Code's LanguageModelChatSelector, and the failures the editor reports →
// what the router does about them.
import assert from 'node:assert/strict';
import { classifyEditorFailure } from '../../../server/src/providers/vscode/client-language-models';
import { describeSelector, parseModelSelector } from '../../../server/src/providers/vscode/model-selector';

describe('a VS Code model id', () => {
  it('VENDOR/FAMILY selects by vendor and family, @VERSION adds the version, id:ID selects one model', () => {
    assert.deepEqual(parseModelSelector('copilot/gpt-4o'), { ok: true, selector: { vendor: 'copilot', family: 'gpt-4o' } });
    assert.deepEqual(parseModelSelector(' copilot/gpt-4o@2024-11-20 '), { ok: true, selector: { vendor: 'copilot', family: 'gpt-4o', version: '2024-11-20' } });
    assert.deepEqual(parseModelSelector('id:claude-sonnet-4'), { ok: true, selector: { id: 'claude-sonnet-4' } });
    // A family may itself hold a slash: only the first one ends the vendor.
    assert.deepEqual(parseModelSelector('ollama/library/llama3.2'), { ok: true, selector: { vendor: 'ollama', family: 'library/llama3.2' } });
  });

  for (const [id, says] of [
    ['gpt-4o', 'is not a VS Code model'],
    ['copilot/', 'is not a VS Code model'],
    ['/gpt-4o', 'is not a VS Code model'],
    ['id:', 'names no id'],
    ['copilot/gpt-4o@', 'has an empty family or version'],
    ['copilot/@1', 'has an empty family or version'],
  ] as const) {
    it(`refuses "${id}", saying how to write one`, () => {
      const parsed = parseModelSelector(id);
      assert.equal(parsed.ok, false);
      assert.ok(!parsed.ok && parsed.message.includes(says) && parsed.message.includes('VENDOR/FAMILY'), JSON.stringify(parsed));
    });
  }

  it('is described in words for messages', () => {
    assert.equal(describeSelector({ vendor: 'copilot', family: 'gpt-4o', version: '1' }), 'vendor copilot, family gpt-4o, version 1');
    assert.equal(describeSelector({ id: 'x' }), 'id x');
  });
});

describe('an editor model’s failure', () => {
  const selector = { vendor: 'copilot', family: 'gpt-4o' };
  it('falls back to the next model when the editor cannot serve it, the user gave no consent, or it is blocked', () => {
    assert.deepEqual(classifyEditorFailure('unsupported', 'no API', 'copilot/gpt-4o', selector), { errorClass: 'bad_request', action: 'fallback', message: 'no API' });
    const consent = classifyEditorFailure('no-permissions', 'declined', 'copilot/gpt-4o', selector);
    assert.deepEqual([consent.errorClass, consent.action], ['auth', 'fallback']);
    assert.match(consent.message, /not given consent \(declined\)/);
    const blocked = classifyEditorFailure('blocked', '', 'copilot/gpt-4o', selector);
    assert.deepEqual([blocked.errorClass, blocked.action], ['quota_exhausted', 'fallback']);
  });

  it('names the model and its selector when none matches, as a configuration problem', () => {
    const missing = classifyEditorFailure('not-found', '', 'copilot/gpt-9', { vendor: 'copilot', family: 'gpt-9' });
    assert.deepEqual([missing.errorClass, missing.action], ['not_found', 'fallback']);
    assert.match(missing.message, /no VS Code language model matches copilot\/gpt-9 \(vendor copilot, family gpt-9\)/);
  });

  it('retries an unexplained failure of the model itself', () => {
    assert.deepEqual(classifyEditorFailure('failed', 'boom', 'copilot/gpt-4o', selector), { errorClass: 'server', action: 'retry', message: 'copilot/gpt-4o failed in VS Code: boom' });
  });
});
