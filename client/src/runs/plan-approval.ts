// A run's plan, before any worker is paid for (`electrictown.approvePlan`): a modal with the plan and
// what it may cost — Approve, Edit…, or Cancel (the dialog's own). Edit… opens the plan as a text
// document; "Run This Plan" sends it back as it is then, to be read like the mayor's answer.
import * as vscode from 'vscode';
import type { ApprovePlanParams } from '../../../server/src/protocol';

type Decision = { decision: 'approve' | 'edit' | 'cancel'; text?: string };

export function planSummary(params: ApprovePlanParams): string {
  const task = params.task.length > 80 ? `${params.task.slice(0, 79)}…` : params.task;
  const cost = params.estimateUsd === null ? 'Its cost cannot be estimated: a model it uses has no price.' : `It may cost up to $${params.estimateUsd.toFixed(2)} (every worker and review writing its whole output cap).`;
  if (params.round !== undefined) {
    const refinement = (params.refinement ?? '').length > 80 ? `${(params.refinement ?? '').slice(0, 79)}…` : (params.refinement ?? '');
    return `Electrictown planned round ${params.round} of "${task}" ("${refinement}") in ${params.subtasks.length} subtask${params.subtasks.length === 1 ? '' : 's'}. ${cost}`;
  }
  return `Electrictown planned "${task}" in ${params.subtasks.length} subtask${params.subtasks.length === 1 ? '' : 's'}. ${cost}`;
}

export async function approvePlanInEditor(params: ApprovePlanParams, token?: vscode.CancellationToken): Promise<Decision> {
  const choice = await vscode.window.showInformationMessage(planSummary(params), { modal: true, detail: params.text }, 'Approve', 'Edit…');
  if (token?.isCancellationRequested) return { decision: 'cancel' };
  if (choice === 'Approve') return { decision: 'approve' };
  if (choice !== 'Edit…') return { decision: 'cancel' };
  const document = await vscode.workspace.openTextDocument({ content: `${params.text}\n`, language: 'markdown' });
  await vscode.window.showTextDocument(document, { preview: false });
  const done = await vscode.window.showInformationMessage('Edit the plan — one subtask per line, with [files: …] and [depends: …] — then run it.', 'Run This Plan', 'Cancel Run');
  if (done !== 'Run This Plan' || token?.isCancellationRequested) return { decision: 'cancel' };
  return { decision: 'edit', text: document.getText() };
}
