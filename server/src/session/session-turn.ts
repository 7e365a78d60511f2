// One turn of a session, in whichever process runs it (normally a background `et session turn ID`):
// the transcript so far to the role's chain, the answer streamed into output.log as it comes, then
// appended to the transcript, its file blocks written into the session's directory, and the state saved.
import type { Environment } from '../config/env';
import type { ElectrictownConfig } from '../config/schema';
import type { EndpointHealth } from '../router/endpoint-health';
import type { LedgerSink } from '../router/model-router';
import { ModelRouter } from '../router/model-router';
import { builtInPrompt } from '../prompts';
import { projectReader } from '../context/read-project-file';
import { lostDefinitions } from '../edits/lost-definitions';
import { parseAnswer, type ParsedAnswer } from '../edits/parse-answer';
import { WorkingCopy } from '../edits/working-copy';
import { checkRelativePath, openWriteScope } from '../run/containment';
import type { ProtectedPlace } from '../run/containment';
import { writeProducedFiles } from '../run/write-files';
import type { SessionFiles } from './session-store';

export interface TurnSetup {
  files: SessionFiles;
  config: ElectrictownConfig;
  environment: Environment;
  ledger: LedgerSink;
  /** The process's endpoint health for the session's log folder. */
  health: EndpointHealth;
  signal: AbortSignal;
  /** What its writes must not touch: the config and the log folder. */
  protect?: readonly ProtectedPlace[];
  /** The log folder, where failed provider calls are dumped (failed_requests/). */
  logDirectory?: string;
}

export async function runTurn({ files, config, environment, ledger, health, signal, protect = [], logDirectory }: TurnSetup): Promise<void> {
  const state = await files.state();
  const router = new ModelRouter({ config, environment, ledger, health, logDirectory });
  // Appends happen in order, one at a time, while the answer streams.
  let output = files.appendOutput(`\n=== turn ${state.turns + 1} ===\n`);
  const write = (text: string) => (output = output.then(() => files.appendOutput(text)));
  try {
    const chain = router.chainFor({ role: state.role });
    const messages = [{ role: 'system' as const, content: chain.systemPrompt ?? builtInPrompt('polecat') }, ...(await files.transcript())];
    const routed = await router.request(
      {
        target: { role: state.role },
        messages,
        signal,
        stream: true,
        runId: `session-${state.id}`,
        onEvent: (event) => {
          if (event.type === 'text-delta') write(event.text);
          else if (event.type === 'restart') write(`\n[${event.reference} stopped (${event.message}); the next model answers from the start]\n`);
          else if (event.type === 'attempt-end') {
            if (event.usd === null && event.sent) state.unpricedAttempts++;
            else state.usd += event.usd ?? 0;
          }
        },
      },
      chain,
    );
    await files.appendMessage({ role: 'assistant', content: routed.result.text });
    if (state.dir !== null) {
      const parsed = parseAnswer(routed.result.text);
      if (parsed.files.length + parsed.edits.length > 0) write(`\n[${await applyTurn(state.dir, parsed, state.turns + 1, protect)}]\n`);
    }
    Object.assign(state, { status: 'idle', pid: null, turns: state.turns + 1, error: null });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    Object.assign(state, signal.aborted ? { status: 'killed', pid: null, error: null } : { status: 'failed', pid: null, error: message });
    write(`\n[${signal.aborted ? 'killed' : `failed: ${message}`}]\n`);
  } finally {
    await output;
    await files.saveState(state);
  }
}

/** A turn's files and edits, applied to the session's folder as it is (all or nothing); what happened, in words. */
async function applyTurn(directory: string, parsed: ParsedAnswer, turn: number, protect: readonly ProtectedPlace[]): Promise<string> {
  const scope = openWriteScope(directory, protect);
  const copy = new WorkingCopy(projectReader(() => scope), lostDefinitions);
  const applied = await copy.commit(parsed, turn, { rewriteAllowed: false });
  if (!applied.ok) return `wrote nothing: ${applied.problems.map((problem) => problem.message.split('\n')[0]).join('; ')}`;
  const refusedPaths = [...parsed.files.map((file) => file.path), ...parsed.edits.map((edit) => edit.path)].filter((written) => {
    const checked = checkRelativePath(written);
    return !checked.ok || copy.refusal(checked.relative) !== undefined;
  });
  const report = await writeProducedFiles(directory, [...[...applied.files].map(([file, { content }]) => ({ path: file, content, subtask: turn })), ...[...new Set(refusedPaths)].map((file) => ({ path: file, content: '', subtask: turn }))], protect);
  return `wrote ${report.written.map((file) => file.path).join(', ') || 'nothing'}${report.refused.length ? `; refused ${report.refused.map((file) => `${file.path} (${file.reason})`).join(', ')}` : ''}`;
}
