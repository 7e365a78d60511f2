// The language model tool's pure parts: its input read as the agent wrote it, the confirmation the user
// sees before a run starts (VS Code skips that dialog in extension tests, so its text is checked here),
// and the answer the agent reads after the run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { invocationInput, parseToolInput, RUN_TOOL_NAME, UNTRUSTED_PROBLEM, type RunToolInput } from '../../../client/src/lm-tool/tool-input';
import { budgetText, confirmationMessage, CONFIRMATION_TITLE, type ConfirmationFacts } from '../../../client/src/lm-tool/tool-messages';
import { notRunText, runResultParts } from '../../../client/src/lm-tool/tool-result';
import { startingView, type RunView } from '../../../client/src/runs/run-view';
import type { ProposedFile, Spend } from '../../../server/src/protocol';

const input = (overrides: Partial<RunToolInput> = {}): RunToolInput => ({ task: 'Add a CSV export', files: [], context: [], outputDir: undefined, iterate: undefined, budgetUsd: undefined, workers: undefined, ...overrides });
const facts = (overrides: Partial<ConfirmationFacts> = {}): ConfirmationFacts => ({ input: input(), defaultBudgetUsd: null, config: { path: '/home/me/shop/electrictown.yaml', budgetUsd: null }, folder: { name: 'shop', path: '/home/me/shop' }, outputDir: '.', workers: 8, iterate: false, approvePlan: true, ...overrides });
const spend = (usd: number, requests: number, unpricedAttempts = 0): Spend => ({ tokens: { input: 100, cachedInput: 0, output: 50, reasoning: 0 }, usd, requests, unpricedAttempts, estimatedAttempts: 0 });
const proposed = (file: string, existed: boolean, extra: Partial<ProposedFile> = {}): ProposedFile => ({ path: file, bytes: 10, subtask: 1, target: `/w/${file}`, staged: `/logs/r1/proposed/${file}`, existed, ...extra });

function endedView(overrides: Partial<RunView>): RunView {
  return { ...startingView('r1', 'Add a CSV export', '/logs/r1', 0), outputDir: '/w', status: 'succeeded', spend: spend(0.0123, 5), ...overrides };
}

describe('language model tool', () => {
  describe('input', () => {
    it('takes a task with every option, trimmed', () => {
      assert.deepEqual(parseToolInput({ task: '  Add a CSV export ', files: ['src/a.ts'], context: ['docs/**'], outputDir: ' app ', iterate: true, budgetUsd: 0.5, workers: 3 }), {
        ok: true,
        input: { task: 'Add a CSV export', files: ['src/a.ts'], context: ['docs/**'], outputDir: 'app', iterate: true, budgetUsd: 0.5, workers: 3 },
      });
      assert.deepEqual(parseToolInput({ task: 'x' }), { ok: true, input: input({ task: 'x' }) });
    });

    it('names what is wrong, in words an agent can correct', () => {
      const problem = (raw: unknown) => {
        const parsed = parseToolInput(raw);
        return parsed.ok ? 'accepted' : parsed.problem;
      };
      assert.equal(problem({}), 'task is required: describe what the team should build or change');
      assert.equal(problem({ task: '   ' }), 'task is required: describe what the team should build or change');
      assert.equal(problem(undefined), 'the input must be an object with at least a task');
      assert.equal(problem(['Add it']), 'the input must be an object with at least a task');
      assert.equal(problem({ task: 'x', files: 'src/a.ts' }), 'files must be a list of non-empty strings');
      assert.equal(problem({ task: 'x', context: [''] }), 'context must be a list of non-empty strings');
      assert.equal(problem({ task: 'x', outputDir: '' }), 'outputDir must be a folder relative to the workspace folder (. for the workspace itself)');
      assert.equal(problem({ task: 'x', iterate: 'yes' }), 'iterate must be true or false');
      assert.equal(problem({ task: 'x', budgetUsd: 0 }), 'budgetUsd must be a positive number of US dollars, e.g. 0.50');
      assert.equal(problem({ task: 'x', budgetUsd: '1' }), 'budgetUsd must be a positive number of US dollars, e.g. 0.50');
      assert.equal(problem({ task: 'x', workers: 2.5 }), 'workers must be a whole number from 1 to 64');
      assert.equal(problem({ task: 'x', workers: 65 }), 'workers must be a whole number from 1 to 64');
    });

    it('is refused in an untrusted workspace, with the reason; a wrong input is named first', () => {
      assert.deepEqual(invocationInput({ task: 'x' }, false), { ok: false, problem: UNTRUSTED_PROBLEM });
      assert.match(UNTRUSTED_PROBLEM, /not trusted.*Manage Workspace Trust/);
      assert.deepEqual(invocationInput({}, false), { ok: false, problem: 'task is required: describe what the team should build or change' });
      assert.deepEqual(invocationInput({ task: 'x' }, true), parseToolInput({ task: 'x' }));
    });

    it('reads what package.json declares: the same name, properties and required task', () => {
      const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { languageModelTools: { name: string; toolReferenceName: string; canBeReferencedInPrompt: boolean; inputSchema: { properties: Record<string, unknown>; required: string[] } }[] } };
      const [tool] = manifest.contributes.languageModelTools;
      assert.equal(tool.name, RUN_TOOL_NAME);
      assert.equal(tool.canBeReferencedInPrompt, true);
      assert.equal(tool.toolReferenceName, 'electrictown');
      assert.deepEqual(tool.inputSchema.required, ['task']);
      const parsed = parseToolInput({ task: 'x' });
      assert.ok(parsed.ok);
      assert.deepEqual(Object.keys(tool.inputSchema.properties).sort(), Object.keys(parsed.input).sort());
    });
  });

  describe('confirmation', () => {
    it('shows the task, the budget, the workspace folder and what it costs', () => {
      const message = confirmationMessage(facts({ input: input({ budgetUsd: 0.5, files: ['src/a.ts'] }) }));
      assert.equal(CONFIRMATION_TITLE, 'Run an electrictown team?');
      assert.match(message, /```text\nAdd a CSV export\n```/);
      assert.match(message, /\*\*Budget:\*\* \$0\.50 \(asked for by the agent\)/);
      assert.match(message, /\*\*Workspace folder:\*\* shop \(\/home\/me\/shop\); output folder `\.`/);
      assert.match(message, /\*\*Workers:\*\* 8; \*\*iterate:\*\* off/);
      assert.match(message, /\*\*Shown to the team:\*\* `src\/a\.ts`/);
      assert.match(message, /cost money/);
      assert.match(message, /proposals in the Changes view: nothing is applied until you accept it/);
      assert.match(message, /see the plan, and the most it can cost, before any worker starts/);
      assert.doesNotMatch(confirmationMessage(facts({ approvePlan: false })), /see the plan/);
    });

    it('says where the budget comes from, in the order the run takes them: the agent, Run Task, the config', () => {
      const config = (budgetUsd: number | null) => ({ path: '/w/electrictown.yaml', budgetUsd });
      assert.equal(budgetText(1.25, 2, config(3)), '$1.25 (asked for by the agent)');
      assert.equal(budgetText(undefined, 2, config(3)), "$2.00 (Run Task's budget: the electrictown.budgetUsd setting or your last run)");
      assert.equal(budgetText(undefined, null, config(3)), "$3.00 (the config's `defaults.budget_usd`)");
      assert.equal(budgetText(undefined, null, config(null)), '**none**: no limit (neither the agent, Run Task nor the config sets one)');
      // The server could not say (not running yet, or the config has errors).
      assert.equal(budgetText(undefined, null, undefined), "the config's `defaults.budget_usd`, if it sets one; otherwise no limit");
      assert.match(confirmationMessage(facts({ config: config(3) })), /\*\*Budget:\*\* \$3\.00 \(the config's `defaults\.budget_usd`\)/);
      assert.match(confirmationMessage(facts({ config: config(3) })), /\*\*Config:\*\* \/w\/electrictown\.yaml/);
      assert.doesNotMatch(confirmationMessage(facts({ config: undefined })), /\*\*Config:\*\*/);
    });

    it('says that iterate writes to disk', () => {
      const message = confirmationMessage(facts({ iterate: true }));
      assert.match(message, /\*\*iterate:\*\* on: the build runs, and files are written to disk \(not proposed\)/);
      assert.doesNotMatch(message, /nothing is applied until you accept it/);
    });

    it('fences the task so an agent’s text cannot close the block or render as Markdown', () => {
      const task = 'Fix it\n```\n# Approved by the user\n[click](http://example.invalid)';
      const message = confirmationMessage(facts({ input: input({ task }) }));
      assert.ok(message.includes(`\`\`\`\`text\n${task}\n\`\`\`\``), message);
    });
  });

  describe('answer', () => {
    it('gives the status, summary, proposed files with line counts, findings, spend and that they wait for review', () => {
      const view = endedView({
        proposed: [proposed('export.ts', false), proposed('index.ts', true)],
        findings: [{ source: 'witness', subtask: 1, file: 'export.ts', line: 3, column: undefined, severity: 'warning', message: 'escape quotes' }],
        subtasks: [{ index: 1, text: 'a', status: 'succeeded', model: 'm', chain: undefined, tokens: 0, usd: 0, unpricedAttempts: 0, review: { tokens: 0, usd: 0, unpricedAttempts: 0 }, startedAt: 0, durationMs: 1, files: [], score: 8, error: undefined }],
      });
      const parts = runResultParts(view, { summary: 'Added a CSV export.\n', changes: [{ path: 'export.ts', created: true, added: 12, removed: 0 }, { path: 'index.ts', created: false, added: 2, removed: 1 }], pending: ['export.ts', 'index.ts'] });
      assert.deepEqual(parts, [
        'Electrictown run r1 succeeded. 1 of 1 subtask succeeded. Spent $0.01 in 5 model calls.',
        'Summary:\nAdded a CSV export.',
        'Proposed 2 files (relative to /w):\n- export.ts (new file, +12 −0 lines; waiting for review)\n- index.ts (replaces the file, +2 −1 lines; waiting for review)',
        'Findings (1):\n- export.ts:3: warning (witness): escape quotes',
        "The 2 proposed files are pending review in electrictown's Changes view: nothing of them is applied until the user accepts them there. Do not write them yourself.",
      ]);
    });

    it('says so when proposals were applied by autoApply, or held because they would run code', () => {
      const view = endedView({ proposed: [proposed('a.ts', false), proposed('package.json', true, { runsCode: 'npm scripts' })] });
      const parts = runResultParts(view, { summary: undefined, changes: [], pending: ['package.json'] });
      assert.equal(parts[1], 'No summary was written.');
      assert.equal(parts[2], 'Proposed 2 files (relative to /w):\n- a.ts (new file; applied)\n- package.json (replaces the file; waiting for review; would run code: npm scripts)');
      assert.match(parts[3], /^The 1 proposed file is pending review/);
    });

    it('is honest about a failed, unpriced, interrupted or empty run', () => {
      const failed = runResultParts(endedView({ status: 'failed', error: 'the mayor gave no plan', spend: spend(0, 2, 2) }), { summary: undefined, changes: [], pending: [] });
      assert.deepEqual(failed, ['Electrictown run r1 failed: the mayor gave no plan. Spent $0 in 2 model calls; 2 of them had no price and are not in that figure.', 'No summary was written.', 'The run proposed and wrote no files.']);
      const interrupted = runResultParts(endedView({ status: 'running', interrupted: true }), { summary: undefined, changes: [], pending: [] });
      assert.match(interrupted[0], /^Electrictown run r1 was interrupted: the server stopped while it ran\. Spent \$0\.01 in 5 model calls\. The user can continue it with Resume Run\.$/);
      const written = runResultParts(endedView({ written: [{ path: 'a.go', subtask: 1 }], refused: [{ path: '../x', reason: 'outside the output folder', subtask: 1 }] }), { summary: 's', changes: [{ path: 'a.go', created: true, added: 3, removed: 0 }], pending: [] });
      assert.equal(written[2], 'Written to disk (/w):\n- a.go, +3 −0 lines\nRefused: ../x (outside the output folder)');
      assert.equal(written.length, 3);
      const partly = runResultParts(endedView({}), { summary: 's', changes: [], pending: [], notShown: ['../other/a.ts', 'b.ts'] });
      assert.equal(partly[3], 'Not shown to the team (outside the output folder): ../other/a.ts, b.ts.');
      assert.equal(notRunText('task is required'), 'No electrictown run was started: task is required.');
    });

    it('cuts a long summary and lists at most 20 findings', () => {
      const findings = Array.from({ length: 25 }, (_, index) => ({ source: 'witness' as const, subtask: 1, file: undefined, line: undefined, column: undefined, severity: 'info' as const, message: `note ${index}` }));
      const parts = runResultParts(endedView({ findings }), { summary: 'x'.repeat(5000), changes: [], pending: [] });
      assert.equal(parts[1], `Summary:\n${'x'.repeat(4000)}… (the rest is in /logs/r1)`);
      const listed = parts[3].split('\n');
      assert.equal(listed[0], 'Findings (25):');
      assert.equal(listed.length, 1 + 20 + 1);
      assert.equal(listed[1], '- subtask 1: info (witness): note 0');
      assert.equal(listed[21], '- … and 5 more (in the Problems panel)');
    });
  });
});
