// The language model tool "Run an electrictown team" in a real VS Code, against the stand-in provider:
// listed in vscode.lm.tools with its schema, run through vscode.lm.invokeTool (its files land in Changes
// as proposals and its answer names them), cancelled with the invocation, and an honest answer to wrong
// input. Outside a chat (no toolInvocationToken) VS Code asks for the confirmation with a modal dialog,
// which it answers "yes" itself in extension tests (DialogService skips dialogs there; the harness logs
// "Dialog requested during smoke test" once per run here, and not for the input without a task, which
// asks nothing). So the confirmation's text is checked here through the tool's prepareInvocation (the
// extension's API), with the config's budget from the real server, and in test/unit/client/lm-tool.test.ts.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ElectrictownApi } from '../../client/src/extension';
import { StandIn } from './stand-in';
import { until } from './wait';

const TOOL = 'electrictown_run';
const NOTES = '# Notes\n\nThings to remember.\n';

const answers = {
  plan: '1. Write notes.md with a title and a line.',
  work: () => `===FILE: notes.md===\n${NOTES}===ENDFILE===`,
  review: () => 'SCORE: 7\nREASON: Fine, but vague.\nFINDINGS:\n- notes.md:3: warning: say which things',
  fix: 'Nothing to fix.',
  summary: 'Wrote notes.md with a title and a line.',
};

const textOf = (result: vscode.LanguageModelToolResult): string => result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('\n\n');

describe('The language model tool', () => {
  let api: ElectrictownApi;
  let standIn: StandIn;
  const settings = () => vscode.workspace.getConfiguration('electrictown');

  before(async () => {
    const extension = vscode.extensions.getExtension<ElectrictownApi>('electrictown.electrictown');
    assert.ok(extension);
    api = await extension.activate();
    standIn = await StandIn.start(answers);
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const config = `providers:\n  standin: { type: openai, base_url: "${standIn.baseUrl}", auth_type: none }\ndefaults:\n  model: standin/stand-in\n  log_dir: logs\n`;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'lmtool', 'electrictown.yaml'), Buffer.from(config));
    await settings().update('configPath', 'lmtool/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    await api.server.restart();
    await until('the language client to run', () => api.server.languageClient);
  });

  after(async () => {
    standIn.close();
    await settings().update('configPath', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('language model tool: is listed in vscode.lm.tools with its schema', async () => {
    assert.equal(api.runToolRegistered, true);
    const tool = await until('the tool in vscode.lm.tools', () => vscode.lm.tools.find((candidate) => candidate.name === TOOL));
    assert.match(tool.description, /electrictown team/);
    assert.match(tool.description, /proposals/);
    const schema = tool.inputSchema as { type: string; required: string[]; properties: Record<string, { type: string }> };
    assert.equal(schema.type, 'object');
    assert.deepEqual(schema.required, ['task']);
    assert.deepEqual(Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, property.type])), { task: 'string', files: 'array', context: 'array', outputDir: 'string', iterate: 'boolean', budgetUsd: 'number', workers: 'integer' });
  });

  it('language model tool: asks to confirm the task with the budget the config gives, as the server reads it', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'lmtool', 'budgeted.yaml'), Buffer.from(`providers:\n  standin: { type: openai, base_url: "${standIn.baseUrl}", auth_type: none }\ndefaults:\n  model: standin/stand-in\n  log_dir: logs\n  budget_usd: 0.75\n`));
    await settings().update('configPath', 'lmtool/budgeted.yaml', vscode.ConfigurationTarget.Workspace);
    try {
      const prepared = await api.prepareRunTool({ task: 'Write notes', outputDir: 'lmtool/out' });
      assert.equal(prepared.invocationMessage, 'Running an electrictown team…');
      assert.equal(prepared.confirmationMessages?.title, 'Run an electrictown team?');
      const message = prepared.confirmationMessages?.message;
      const text = typeof message === 'string' ? message : (message?.value ?? '');
      assert.match(text, /```text\nWrite notes\n```/);
      assert.match(text, /\*\*Budget:\*\* \$0\.75 \(the config's `defaults\.budget_usd`\)/);
      assert.match(text, /\*\*Config:\*\* \S*lmtool[/\\]budgeted\.yaml/);
      assert.match(text, new RegExp(`\\*\\*Workspace folder:\\*\\* ${vscode.workspace.workspaceFolders![0].name} `));
      assert.match(text, /output folder `lmtool\/out`/);
      // An agent's budget wins; input without a task asks nothing (the invocation answers why).
      const given = await api.prepareRunTool({ task: 'Write notes', budgetUsd: 0.3 });
      assert.match(String((given.confirmationMessages?.message as vscode.MarkdownString).value), /\*\*Budget:\*\* \$0\.30 \(asked for by the agent\)/);
      assert.equal((await api.prepareRunTool({})).confirmationMessages, undefined);
    } finally {
      await settings().update('configPath', 'lmtool/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    }
  });

  it('language model tool: invokeTool runs a team and answers with the summary and the files, which wait in Changes', async () => {
    const result = await vscode.lm.invokeTool(TOOL, { toolInvocationToken: undefined, input: { task: 'Write notes', outputDir: 'lmtool/out', workers: 2, iterate: false, files: ['elsewhere.md'] } });
    const text = textOf(result);
    const runId = /^Electrictown run (\S+) succeeded\./.exec(text)?.[1];
    assert.ok(runId, text);
    assert.match(text, /Summary:\nWrote notes\.md with a title and a line\./);
    assert.match(text, /Proposed 1 file \(relative to .*lmtool[/\\]out\):\n- notes\.md \(new file, \+3 −0 lines; waiting for review\)/);
    assert.match(text, /Findings \(1\):\n- notes\.md:3: warning \(witness\): say which things/);
    assert.match(text, /Spent \$0 in (\d+) model calls; \1 of them had no price and are not in that figure\./);
    assert.match(text, /pending review in electrictown's Changes view: nothing of it is applied/);
    // A file outside the output folder is left out, as Run Task leaves it out, and the agent is told.
    assert.match(text, /Not shown to the team \(outside the output folder\): elsewhere\.md\./);
    // The same run as Run Task's: in Runs, its proposal in Changes, nothing written yet.
    assert.deepEqual(api.changes.get(runId)?.files.map((file) => [file.path, file.state]), [['notes.md', 'pending']]);
    assert.equal(api.runs.runs().find((run) => run.id === runId)?.view?.status, 'succeeded');
    const notes = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'lmtool', 'out', 'notes.md');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(notes)));
    assert.equal(await vscode.commands.executeCommand('electrictown.changes.discardRun', runId), true);
  });

  it('language model tool: cancelling the invocation cancels the run', async () => {
    standIn.holdWorkers = true;
    const heldBefore = standIn.heldCalls;
    const cancellation = new vscode.CancellationTokenSource();
    try {
      const invocation = Promise.resolve(vscode.lm.invokeTool(TOOL, { toolInvocationToken: undefined, input: { task: 'Write notes, slowly', outputDir: 'lmtool/slow' } }, cancellation.token)).then(
        (result) => ({ text: textOf(result) }),
        (error: unknown) => ({ error }),
      );
      await until('a worker call held by the stand-in', () => (standIn.heldCalls > heldBefore ? true : undefined));
      const run = api.runs.runs().find((candidate) => candidate.view?.task === 'Write notes, slowly' && candidate.view.status === 'running');
      assert.ok(run, 'the run is in Runs while it runs');
      cancellation.cancel();
      const outcome = await invocation;
      await until('the run to end cancelled', () => (run.view?.status === 'cancelled' ? true : undefined));
      // VS Code ends a cancelled invocation with its cancellation error, or passes the tool's answer on.
      if ('text' in outcome) assert.match(outcome.text, new RegExp(`^Electrictown run ${run.id} was cancelled\\.`));
      else assert.match(String((outcome.error as Error)?.name ?? outcome.error), /Cancel/);
      console.log(`      the cancelled invocation ${'text' in outcome ? 'answered with the run' : `rejected with ${String((outcome.error as Error)?.name)}`}`);
    } finally {
      standIn.holdWorkers = false;
      cancellation.dispose();
    }
  });

  it('language model tool: a run that cannot start is an honest answer naming the config’s problem', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder, 'lmtool', 'broken.yaml'), Buffer.from('providers:\n  standin: { type: nonsense }\n'));
    // Runs read the setting when they start; the server need not restart for it.
    await settings().update('configPath', 'lmtool/broken.yaml', vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.lm.invokeTool(TOOL, { toolInvocationToken: undefined, input: { task: 'Write notes', outputDir: 'lmtool/out' } });
      const text = textOf(result);
      assert.match(text, /^No electrictown run was started: the run could not start: \S*lmtool[/\\]broken\.yaml has errors \(see them with: et config check /);
    } finally {
      await settings().update('configPath', 'lmtool/electrictown.yaml', vscode.ConfigurationTarget.Workspace);
    }
  });

  it('language model tool: input without a task is an honest error answer, and no run starts', async () => {
    const calls = standIn.prompts.length;
    const result = await vscode.lm.invokeTool(TOOL, { toolInvocationToken: undefined, input: { outputDir: 'lmtool/out' } });
    assert.equal(textOf(result), 'No electrictown run was started: task is required: describe what the team should build or change.');
    assert.equal(standIn.prompts.length, calls, 'no model was called');
  });
});
