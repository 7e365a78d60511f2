// Quick fixes on the config's diagnostics, from the diagnostics the checks really publish: "did you
// mean" replaces the misspelt word (a key, a value, the provider part of provider/model), an unset
// variable offers Set API Key for it, and nothing else gets an action.
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver/node';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { LineIndex } from '../../../server/src/config/line-index';
import { configActions } from '../../../server/src/language/config-actions';
import { toDiagnostic } from '../../../server/src/lsp/diagnostics';

const URI = 'file:///project/electrictown.yaml';

function actionsFor(text: string, environment: Record<string, string> = {}) {
  const document = TextDocument.create(URI, 'yaml', 1, text);
  const lines = new LineIndex(text);
  const diagnostics = analyzeConfig(text, environment).issues.map((issue) => toDiagnostic(issue, lines));
  const range = { start: { line: 0, character: 0 }, end: document.positionAt(text.length) };
  return { document, diagnostics, actions: configActions({ textDocument: { uri: URI }, range, context: { diagnostics } }, document) };
}

/** The text after an action's edit. */
function applied(document: TextDocument, action: CodeAction): string {
  const edits: TextEdit[] = action.edit?.changes?.[URI] ?? [];
  return TextDocument.applyEdits(document, edits);
}

const VALID = 'providers:\n  ollama: { type: ollama }\nmodels:\n  general: { provider: ollama, model: llama3.2 }\nroles:\n  mayor: { model: general, fallbacks: [general] }\n';

describe('config quick fixes', () => {
  it('replaces a misspelt key, a provider type and a model alias with the suggestion', () => {
    for (const [wrong, right, title] of [
      ['fallbacks: [general]', 'fallback: [general]', 'Change "fallback" to "fallbacks"'],
      ['type: ollama', 'type: olama', 'Change "olama" to "ollama"'],
      ['mayor: { model: general', 'mayor: { model: generl', 'Change "generl" to "general"'],
    ]) {
      const { document, actions } = actionsFor(VALID.replace(wrong, right));
      assert.equal(actions.length, 1, `${right}: ${JSON.stringify(actions)}`);
      assert.equal(actions[0].title, title);
      assert.equal(applied(document, actions[0]), VALID);
    }
  });

  it('replaces only the provider part of a provider/model reference', () => {
    const text = VALID.replace('mayor: { model: general', 'mayor: { model: olama/llama3.2');
    const { document, actions } = actionsFor(text);
    assert.deepEqual(actions.map((action) => action.title), ['Change "olama" to "ollama"']);
    assert.equal(applied(document, actions[0]), VALID.replace('mayor: { model: general', 'mayor: { model: ollama/llama3.2'));
  });

  it('offers Set API Key for an unset variable, with its name and never a value', () => {
    const text = `${VALID.replace('providers:\n', 'providers:\n  openai: { type: openai, api_key: $ET_TEST_UNSET_KEY }\n')}`;
    const { actions } = actionsFor(text);
    assert.deepEqual(
      actions.map((action) => [action.title, action.command?.command, action.command?.arguments]),
      [['Set ET_TEST_UNSET_KEY (Set API Key)', 'electrictown.setApiKey', ['ET_TEST_UNSET_KEY']]],
    );
    assert.deepEqual(actionsFor(text, { ET_TEST_UNSET_KEY: 'sk-set-0123456789' }).actions, []);
  });

  it('offers nothing for a valid config, for other sources, or for a document it does not have', () => {
    assert.deepEqual(actionsFor(VALID).actions, []);
    const { diagnostics } = actionsFor(VALID.replace('fallbacks', 'fallback'));
    const foreign = diagnostics.map((diagnostic) => ({ ...diagnostic, source: 'yaml' }));
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    assert.deepEqual(configActions({ textDocument: { uri: URI }, range, context: { diagnostics: foreign } }, TextDocument.create(URI, 'yaml', 1, VALID)), []);
    assert.deepEqual(configActions({ textDocument: { uri: URI }, range, context: { diagnostics } }, undefined), []);
  });
});
