// `type: vscode` providers in a real VS Code: a stand-in extension (test/fixtures/lm-provider-extension)
// registers a chat model through `vscode.lm.registerLanguageModelChatProvider`, and a run whose roles
// all use it completes with its answers — the server asks the extension, the extension asks `vscode.lm`.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SYSTEM_PREFIX } from '../../client/src/lm/editor-turns';
import type { ElectrictownApi } from '../../client/src/extension';
import type { RunEventParams } from '../../server/src/protocol';
import { until } from './wait';

interface FakeModels {
  registered: boolean;
  requests: { model: string; turns: { role: string; text: string }[] }[];
  respondWith(responder: (turns: { role: string; text: string }[]) => string): void;
}

const NOTES = '# Notes\n\nWritten by the editor’s model.\n';

/** As each role would answer, told apart by the instructions folded into the first turn. */
function answerFor(first: string): string {
  if (first.includes('Split the task')) return '1. Write notes.md with a title and a line.';
  if (first.includes('doing one subtask')) return `===FILE: notes.md===\n${NOTES}===ENDFILE===`;
  if (first.includes('strict code reviewer')) return 'SCORE: 9\nREASON: Clear.\nFINDINGS:\n';
  return 'Wrote notes.md.';
}

type RunEnd = Extract<RunEventParams['events'][number], { kind: 'run-end' }>;
type AttemptEnd = Extract<RunEventParams['events'][number], { kind: 'attempt-end' }>;

async function runToEnd(client: LanguageClient, params: object): Promise<{ end: RunEnd; attempts: AttemptEnd[] }> {
  const attempts: AttemptEnd[] = [];
  let end: RunEnd | undefined;
  const ended = new Promise<void>((resolve) => {
    const subscription = client.onNotification('electrictown/runEvent', (batch: RunEventParams) => {
      attempts.push(...batch.events.filter((event): event is AttemptEnd => event.kind === 'attempt-end'));
      end ??= batch.events.find((event): event is RunEnd => event.kind === 'run-end');
      if (end) {
        subscription.dispose();
        resolve();
      }
    });
  });
  await client.sendRequest('electrictown/run', params);
  await ended;
  return { end: end as RunEnd, attempts };
}

describe('VS Code’s language models as a provider', () => {
  it('runs a task whose roles all use an editor model (vscode/…): the answers come from the model another extension registered', async function () {
    const fake = vscode.extensions.getExtension<FakeModels>('electrictown-tests.fake-lm-provider');
    assert.ok(fake, 'the stand-in model provider is loaded beside the extension');
    const models = await fake.activate();
    // VS Code 1.100 has no registerLanguageModelChatProvider: nothing to run the models with there.
    if (!models.registered) this.skip();
    models.respondWith((turns) => answerFor(turns[0]?.text ?? ''));
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    const api = await extension.activate();
    const client = await until('the language client to run', () => api.server.languageClient);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    assert.ok(folder);
    const config = 'providers:\n  editor: { type: vscode }\ndefaults:\n  model: editor/electrictown-fake/fake-coder\n  log_dir: logs\n';
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'lm', 'electrictown.yaml'), Buffer.from(config));

    const { end, attempts } = await runToEnd(client, { task: 'Write notes', configPath: 'lm/electrictown.yaml', outputDir: 'lm/out', coordinate: false, refinery: false });

    assert.equal(end.status, 'succeeded', JSON.stringify({ end, attempts }));
    // The files arrive as one workspace edit: the document holds them.
    const notes = vscode.Uri.joinPath(folder, 'lm', 'out', 'notes.md');
    const written = (await vscode.workspace.openTextDocument(notes)).getText();
    assert.equal(written, NOTES);
    // Every call went to the editor's model, with the system prompt folded into the first user turn.
    assert.ok(models.requests.length >= 2, `${models.requests.length} requests`);
    assert.ok(models.requests.every((request) => request.model === 'fake-coder' && request.turns[0].role === 'user' && request.turns[0].text.startsWith(SYSTEM_PREFIX)));
    assert.ok(attempts.length > 0 && attempts.every((attempt) => attempt.provider === 'editor' && attempt.outcome === 'ok' && attempt.usd === null && attempt.estimated && attempt.tokens.input > 0), JSON.stringify(attempts));
  });
});
