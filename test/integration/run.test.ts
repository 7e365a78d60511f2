// A run driven through the extension's language client inside a real VS Code, against a stand-in
// provider on 127.0.0.1: the files arrive as one workspace edit, and the witness's findings are in the
// Problems panel, where "Ask refinery to fix" rewrites the file with the refinery's answer.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ElectrictownApi } from '../../client/src/extension';
import type { RunEventParams } from '../../server/src/protocol';
import { diagnosticsOf, until } from './wait';

const NOTES = '# Notes\n\nThings to remember.\n';
const FIXED = '# Notes\n\nRemember the milk.\n';

/** Answers as each role would, in OpenAI's wire format (plain or streamed). */
function answerFor(system: string): string {
  if (system.includes('Split the task')) return '1. Write notes.md with a title and a line.';
  if (system.includes('doing one subtask')) return `===FILE: notes.md===\n${NOTES}===ENDFILE===`;
  if (system.includes('strict code reviewer')) return 'SCORE: 7\nREASON: Fine, but vague.\nFINDINGS:\n- notes.md:3: warning: say which things';
  if (system.includes('fixing a teammate')) return `===FILE: notes.md===\n${FIXED}===ENDFILE===`;
  return 'Wrote notes.md.';
}

function startStandIn(): Promise<Server> {
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += String(chunk)));
    request.on('end', () => {
      const body = JSON.parse(raw) as { stream?: boolean; messages: { role: string; content: string }[] };
      const text = answerFor(body.messages.find((message) => message.role === 'system')?.content ?? '');
      const usage = { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 };
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'stand-in', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }], usage }));
        return;
      }
      const chunk = (choices: unknown[], chunkUsage: unknown = null) => `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'stand-in', choices, usage: chunkUsage })}\n\n`;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(chunk([{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }]) + chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]) + chunk([], usage) + 'data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

type RunEnd = Extract<RunEventParams['events'][number], { kind: 'run-end' }>;

/** Starts a run over the extension's language client and waits for a run to end. */
async function runToEnd(client: LanguageClient, params: object): Promise<{ runId: string; end: RunEnd }> {
  let end: RunEnd | undefined;
  const ended = new Promise<void>((resolve) => {
    const subscription = client.onNotification('electrictown/runEvent', (batch: RunEventParams) => {
      end ??= batch.events.find((event): event is RunEnd => event.kind === 'run-end');
      if (end) {
        subscription.dispose();
        resolve();
      }
    });
  });
  const started = await client.sendRequest<{ runId: string }>('electrictown/run', params);
  await ended;
  return { runId: started.runId, end: end as RunEnd };
}

describe('A run in VS Code', () => {
  it('writes the files as one workspace edit and shows the witness’s findings in the Problems panel', async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    const api = await extension.activate();
    const client = await until('the language client to run', () => api.server.languageClient);
    const standIn = await startStandIn();
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder);
      const port = (standIn.address() as AddressInfo).port;
      const config = `providers:\n  standin: { type: openai, base_url: "http://127.0.0.1:${port}/v1", auth_type: none }\ndefaults:\n  model: standin/stand-in\n  log_dir: logs\n`;
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'run', 'electrictown.yaml'), Buffer.from(config));

      await runToEnd(client, { task: 'Write notes', configPath: 'run/electrictown.yaml', outputDir: 'run/out', coordinate: false, refinery: false });

      const notes = vscode.Uri.joinPath(folder, 'run', 'out', 'notes.md');
      assert.equal((await vscode.workspace.openTextDocument(notes)).getText(), NOTES);
      const diagnostics = await diagnosticsOf(notes, (found) => found.some((diagnostic) => diagnostic.source === 'electrictown witness'));
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.source, diagnostic.severity, diagnostic.range.start.line, diagnostic.message]), [['electrictown witness', vscode.DiagnosticSeverity.Warning, 2, 'say which things']]);

      // The quick fix sends the finding to the refinery and applies its answer to the file. It is offered
      // as soon as the findings are set (the provider reads the extension host's diagnostics).
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', notes, diagnostics[0].range);
      const fix = actions.find((action) => action.title === 'Ask refinery to fix: say which things');
      assert.ok(fix?.command, JSON.stringify(actions.map((action) => action.title)));
      const outcome = await vscode.commands.executeCommand<{ applied: boolean; message: string }>(fix.command.command, ...(fix.command.arguments ?? []));
      assert.deepEqual(outcome, { applied: true, outcome: 'fixed', message: 'fixed by standin/stand-in' });
      assert.equal((await vscode.workspace.openTextDocument(notes)).getText(), FIXED);
      // The fixed finding is gone from the file.
      await diagnosticsOf(notes, (found) => found.length === 0);
    } finally {
      standIn.close();
    }
  });

  it('asks with a notification whether to raise a run’s budget when it is reached, and goes on when the user raises it', async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    const api = await extension.activate();
    const client = await until('the language client to run', () => api.server.languageClient);
    const standIn = await startStandIn();
    const window = vscode.window as { showWarningMessage: (message: string, ...items: string[]) => Thenable<string | undefined> };
    const original = window.showWarningMessage;
    const shown: { message: string; items: string[] }[] = [];
    // The user clicks the first button: "Raise to $…".
    window.showWarningMessage = async (message: string, ...items: string[]) => {
      shown.push({ message, items });
      return /reached its budget/.test(message) ? items[0] : undefined;
    };
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder);
      const port = (standIn.address() as AddressInfo).port;
      // Uncapped, an answer may cost 8,192 output tokens at $10/M ($0.08): more than the $0.05 budget.
      const config = `providers:\n  standin: { type: openai, base_url: "http://127.0.0.1:${port}/v1", auth_type: none }\nmodels:\n  priced: { provider: standin, model: stand-in, pricing: { input: 10, output: 10 } }\ndefaults:\n  model: priced\n  log_dir: logs\n`;
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'budget', 'electrictown.yaml'), Buffer.from(config));
      const { end } = await runToEnd(client, { task: 'Write notes', configPath: 'budget/electrictown.yaml', outputDir: 'budget/out', coordinate: false, refinery: false, reviewer: false, budgetUsd: 0.05, writeMode: 'disk' });
      const asked = shown.filter((entry) => /reached its budget/.test(entry.message));
      assert.equal(asked.length, 1, JSON.stringify(shown));
      assert.match(asked[0].message, /^Electrictown: "Write notes" reached its budget of \$0\.05 \(\$0\.0000 spent\)\./);
      assert.deepEqual(asked[0].items.slice(1), ['Raise to…', 'Stop']);
      assert.match(asked[0].items[0], /^Raise to \$\d+\.\d\d$/);
      assert.equal(end?.status, 'succeeded');
      assert.equal((await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'budget', 'out', 'notes.md'))).getText(), NOTES);
    } finally {
      window.showWarningMessage = original;
      standIn.close();
    }
  });

  it('shows the plan with what it may cost before any worker starts, and runs the plan as the user edited it', async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    const api = await extension.activate();
    const client = await until('the language client to run', () => api.server.languageClient);
    const standIn = await startStandIn();
    const window = vscode.window as unknown as { showInformationMessage: (message: string, ...rest: unknown[]) => Thenable<unknown> };
    const original = window.showInformationMessage;
    const asked: { message: string; detail?: string }[] = [];
    // The user clicks Edit…, changes the plan's line in the document that opens, then Run This Plan; the
    // edited plan is shown again, and approved.
    window.showInformationMessage = async (message: string, ...rest: unknown[]) => {
      const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { detail?: string }) : undefined;
      asked.push({ message, detail: options?.detail });
      if (message.startsWith('Electrictown planned')) return asked.filter((entry) => entry.message.startsWith('Electrictown planned')).length === 1 ? 'Edit…' : 'Approve';
      if (message.startsWith('Edit the plan')) {
        const editor = vscode.window.activeTextEditor;
        assert.ok(editor);
        await editor.edit((edit) => edit.replace(new vscode.Range(0, 0, editor.document.lineCount, 0), '1. Write notes.md with a title and one line about milk.\n'));
        return 'Run This Plan';
      }
      return original.call(vscode.window, message, ...(rest as []));
    };
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder);
      const port = (standIn.address() as AddressInfo).port;
      const config = `providers:\n  standin: { type: openai, base_url: "http://127.0.0.1:${port}/v1", auth_type: none }\nmodels:\n  priced: { provider: standin, model: stand-in, pricing: { input: 1, output: 2 }, max_tokens: 1000 }\ndefaults:\n  model: priced\n  log_dir: logs\n`;
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'plan', 'electrictown.yaml'), Buffer.from(config));
      const { runId, end } = await runToEnd(client, { task: 'Write notes', configPath: 'plan/electrictown.yaml', outputDir: 'plan/out', coordinate: false, refinery: false, approvePlan: true, writeMode: 'disk' });
      assert.equal(end?.status, 'succeeded');
      assert.match(asked[0].message, /^Electrictown planned "Write notes" in 1 subtask\. It may cost up to \$0\.\d\d/);
      assert.match(asked[0].detail ?? '', /^1\. Write notes\.md with a title and a line\./);
      assert.match(asked[2].detail ?? '', /^1\. Write notes\.md with a title and one line about milk\./);
      const record = await client.sendRequest<{ subtasks: { text: string }[] }>('electrictown/getRun', { runId, configPath: 'plan/electrictown.yaml' });
      assert.deepEqual(record.subtasks.map((subtask) => subtask.text), ['Write notes.md with a title and one line about milk.']);
    } finally {
      window.showInformationMessage = original;
      standIn.close();
    }
  });
});
