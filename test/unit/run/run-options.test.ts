import assert from 'node:assert/strict';
import path from 'node:path';
import type { ElectrictownConfig } from '../../../server/src/config/schema';
import type { RunFlags } from '../../../server/src/protocol';
import { resolveRunSettings, RunOptionsError } from '../../../server/src/run/run-options';

const base = path.resolve('/work/project');
const config: ElectrictownConfig = { providers: {} };

/** The RunOptionsError that resolving `flags` throws, as field and rule. */
function refusal(flags: unknown, task = 'build it'): { field: string; rule: string; message: string } {
  try {
    resolveRunSettings(task, flags as RunFlags, config, base);
  } catch (error) {
    assert.ok(error instanceof RunOptionsError, `a RunOptionsError, not ${String(error)}`);
    return { field: error.field, rule: error.rule, message: error.message };
  }
  assert.fail(`${JSON.stringify(flags)} was accepted`);
}

describe('a run’s settings', () => {
  it('fills in our defaults, trims the task and resolves the output directory against the base', () => {
    const settings = resolveRunSettings('  build a todo app \n', {}, config, base);
    assert.equal(settings.task, 'build a todo app');
    assert.equal(settings.outputDirectory, base);
    assert.deepEqual(settings.flags, {
      role: 'mayor',
      outputDir: '.',
      workers: 8,
      maxSubtasks: 10,
      timeoutMinutes: 45,
      synthesize: true,
      reviewer: true,
      refinery: true,
      coordinate: true,
      specialists: true,
      guardrailRetries: 1,
      guardrailThreshold: 6,
      budgetUsd: null,
      subtaskBudgetUsd: null,
      maxTurns: null,
      iterate: false,
      maxIterations: 3,
      buildCommand: null,
      buildTimeoutMinutes: 10,
      gates: [],
      protectTests: false,
      sandbox: true,
      approvePlan: false,
      context: [],
      mapTokens: 4096,
    });
  });

  it('takes workers and the budget from the config’s defaults, and a flag over either', () => {
    const configured: ElectrictownConfig = { providers: {}, defaults: { workers: 3, budget_usd: 2.5 } };
    const fromConfig = resolveRunSettings('t', {}, configured, base);
    assert.equal(fromConfig.flags.workers, 3);
    assert.equal(fromConfig.flags.budgetUsd, 2.5);
    const fromFlags = resolveRunSettings('t', { workers: 5, budgetUsd: 0.75, reviewer: false }, configured, base);
    assert.equal(fromFlags.flags.workers, 5);
    assert.equal(fromFlags.flags.budgetUsd, 0.75);
    assert.equal(fromFlags.flags.reviewer, false);
    assert.equal(fromFlags.flags.refinery, true);
  });

  it('resolves a relative output directory against the base and keeps an absolute one', () => {
    const relative = resolveRunSettings('t', { outputDir: 'out/app' }, config, base);
    assert.equal(relative.outputDirectory, path.join(base, 'out', 'app'));
    assert.equal(relative.flags.outputDir, 'out/app', 'the record keeps the flag as given');
    assert.equal(resolveRunSettings('t', { outputDir: '../sibling' }, config, base).outputDirectory, path.resolve(base, '..', 'sibling'));
    const absolute = path.resolve('/tmp/elsewhere');
    assert.equal(resolveRunSettings('t', { outputDir: absolute }, config, base).outputDirectory, absolute);
  });

  it('refuses an empty task', () => {
    for (const task of ['', '   \n\t']) assert.deepEqual(refusal({}, task), { field: 'task', rule: 'is empty: say what to build', message: 'task is empty: say what to build' });
  });

  it('names the flag and the rule it breaks', () => {
    assert.deepEqual(refusal({ workers: 0 }), { field: 'workers', rule: 'must be at least 1', message: 'workers must be at least 1' });
    assert.deepEqual(refusal({ workers: 257 }), { field: 'workers', rule: 'must be at most 256', message: 'workers must be at most 256' });
    assert.deepEqual(refusal({ workers: 2.5 }), { field: 'workers', rule: 'must be a whole number', message: 'workers must be a whole number' });
    assert.deepEqual(refusal({ workers: '3' }), { field: 'workers', rule: 'must be a number', message: 'workers must be a number' });
    assert.deepEqual(refusal({ timeoutMinutes: 0 }), { field: 'timeoutMinutes', rule: 'must be more than 0', message: 'timeoutMinutes must be more than 0' });
    assert.deepEqual(refusal({ reviewer: 'no' }), { field: 'reviewer', rule: 'must be a boolean', message: 'reviewer must be a boolean' });
    assert.deepEqual(refusal({ role: '  ' }), { field: 'role', rule: 'must not be empty', message: 'role must not be empty' });
    assert.deepEqual(refusal({ context: ['src', ' '] }), { field: 'context.1', rule: 'must not be empty', message: 'context.1 must not be empty' });
    assert.deepEqual(refusal({ mapTokens: -1 }), { field: 'mapTokens', rule: 'must be at least 0', message: 'mapTokens must be at least 0' });
    assert.deepEqual(refusal({ selection: { path: 'a.go', startLine: 9, endLine: 3, text: 'x' } }), { field: 'selection', rule: 'must end at or after its start line', message: 'selection must end at or after its start line' });
    assert.deepEqual(refusal({ selection: { path: 'a.go', startLine: 0, endLine: 3, text: 'x' } }), { field: 'selection.startLine', rule: 'must be at least 1', message: 'selection.startLine must be at least 1' });
  });

  it('refuses a key that is not a run flag', () => {
    assert.deepEqual(refusal({ workers: 2, max_subtasks: 4 }), { field: 'max_subtasks', rule: 'is not a run flag', message: 'max_subtasks is not a run flag' });
  });
});
