// Reviewing proposed files over `et serve --stdio` (`writeMode: "review"`), as the editor or any client
// does: the witness's findings are diagnostics on the proposal (the staged file), not on the file in the
// project; "Ask refinery to fix" changes the proposal; `electrictown/decideProposals` moves the findings
// to the real file on accept and back on undo, names the field of a bad request, and is kept in the run
// folder, so a new server shows the same; a client that shows runs' progress itself gets no second one.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AskRefineryResult, Checkpoint, RunRecord, RunStarted } from '../../server/src/protocol';
import { FakeOpenAi } from '../helpers/fake-openai';
import { team, type TeamCall } from '../helpers/fake-team';
import { goodTeam, greeterConfig } from '../helpers/greeter-scenario';
import { LspProcess, type JsonRpcMessage } from '../helpers/lsp-process';

const KEY = { ET_TEST_OPENAI_KEY: 'fake-openai-key-0123456789' };
const OLD_README = 'old readme\n';
const FIXED_README = '# Greeter\n\nRun `node src/main.ts`.\n';

type Diagnostic = { range: { start: { line: number } }; message: string; data?: { runId: string } };

describe('reviewing proposed files over et serve --stdio', function () {
  this.timeout(30_000);
  let openai: FakeOpenAi;
  let server: LspProcess;
  let directory: string;

  const witnessSays = (call: TeamCall) => {
    if (call.phase === 'review' && call.subtask === 3) return 'SCORE: 7\nREASON: Thin.\nFINDINGS:\n- README.md:3: warning: say how to run it';
    if (call.phase === 'review' && call.subtask === 1) return 'SCORE: 8\nREASON: Fine.\nFINDINGS:\n- src/greet.ts:2: info: name the greeting';
    return goodTeam(call);
  };

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-serve-review-'));
    writeFileSync(path.join(directory, 'electrictown.yaml'), greeterConfig(openai.baseUrl));
    mkdirSync(path.join(directory, 'out'));
    writeFileSync(path.join(directory, 'out', 'README.md'), OLD_README);
  });
  afterEach(async () => {
    server.kill();
    await openai.stop();
  });

  const start = async (initializationOptions: Record<string, unknown> = {}, capabilities: Record<string, unknown> = {}) => {
    server = LspProcess.start(KEY);
    await server.initialize({ rootUri: pathToFileURL(directory).href, capabilities: { workspace: { applyEdit: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } }, ...capabilities }, initializationOptions });
  };
  const runEnd = (runId: string) => server.runEnd(runId);
  /** The latest diagnostics published for `uri` once they satisfy `accept`. */
  const diagnosticsOf = async (uri: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> => {
    const published = (message: JsonRpcMessage) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string }).uri === uri;
    const latest = () => (server.messages.filter(published).at(-1)?.params as { diagnostics: Diagnostic[] } | undefined)?.diagnostics;
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 20))) {
      const now = latest();
      if (now && accept(now)) return now;
    }
    throw new Error(`no diagnostics on ${uri} as expected; the latest: ${JSON.stringify(latest())}`);
  };
  const messages = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => diagnostic.message);
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it('places the findings on the proposal, fixes the proposal, and moves the findings with each decision, also after a restart', async () => {
    openai.respondWith(team(witnessSays).responder);
    await start({ showsRunProgress: true }, { window: { workDoneProgress: true } });
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', writeMode: 'review' });
    await runEnd(started.runId);
    // The client shows the progress itself: the server made none of its own.
    assert.equal(server.messages.some((message) => message.method === 'window/workDoneProgress/create'), false);

    const record = await server.request<RunRecord>('electrictown/getRun', { runId: started.runId });
    const readme = record.files.proposed?.find((file) => file.path === 'README.md');
    const greet = record.files.proposed?.find((file) => file.path === 'src/greet.ts');
    assert.ok(readme && greet);
    // Each proposal names what it was made from: the README as it was, nothing for a new file.
    assert.deepEqual([readme.baseSha256, greet.baseSha256], [sha256(OLD_README), null]);
    // And keeps that content in the run folder's base/, beside the proposal (a new file has none).
    assert.deepEqual([readme.base && path.relative(record.folder, readme.base).split(path.sep).join('/'), greet.base], ['base/README.md', undefined]);
    assert.equal(readFileSync(readme.base!, 'utf8'), OLD_README);
    const stagedReadme = pathToFileURL(readme.staged).href;
    const stagedGreet = pathToFileURL(greet.staged).href;
    const realReadme = pathToFileURL(readme.target).href;
    const realGreet = pathToFileURL(greet.target).href;

    // On the proposals, not on the files in the project (one old, one that does not exist).
    assert.deepEqual(messages(await diagnosticsOf(stagedReadme, (found) => found.length > 0)), ['say how to run it']);
    assert.deepEqual(messages(await diagnosticsOf(stagedGreet, (found) => found.length > 0)), ['name the greeting']);
    assert.equal(server.messages.some((message) => message.method === 'textDocument/publishDiagnostics' && [realReadme, realGreet].includes((message.params as { uri: string }).uri)), false);

    // "Ask refinery to fix" on the proposal: the proposal changes, the refinery sees the file's real name.
    const edits: { edit: { documentChanges: { textDocument: { uri: string }; edits: { newText: string }[] }[] } }[] = [];
    server.onServerRequest('workspace/applyEdit', (params) => {
      edits.push(params as (typeof edits)[number]);
      return { applied: true };
    });
    const [finding] = await diagnosticsOf(stagedReadme, (found) => found.length > 0);
    openai.respondWith(team((call) => (call.phase === 'refine' ? `===FILE: out/README.md===\n${FIXED_README}===ENDFILE===` : goodTeam(call))).responder);
    const proposedText = readFileSync(readme.staged, 'utf8');
    const fixed = await server.request<AskRefineryResult>('workspace/executeCommand', { command: 'electrictown.askRefinery', arguments: [{ uri: stagedReadme, diagnostic: finding, text: proposedText, version: 1 }] });
    assert.deepEqual(fixed, { applied: true, outcome: 'fixed', message: 'fixed by planner (in the proposal)' });
    assert.deepEqual(edits.map((edit) => [edit.edit.documentChanges[0].textDocument.uri, edit.edit.documentChanges[0].edits[0].newText]), [[stagedReadme, FIXED_README]]);
    assert.match(JSON.stringify(openai.requests.at(-1)?.body), /out\/README\.md/);
    assert.equal(readFileSync(readme.target, 'utf8'), OLD_README, 'the file in the project is untouched');
    // The fixed finding is gone.
    await diagnosticsOf(stagedReadme, (found) => found.length === 0);

    // A refinery that gives the file back as it was says so, and nothing is applied.
    openai.respondWith(team((call) => (call.phase === 'refine' ? `===FILE: out/src/greet.ts===\n${readFileSync(greet.staged, 'utf8')}===ENDFILE===` : goodTeam(call))).responder);
    const [greetFinding] = await diagnosticsOf(stagedGreet, (found) => found.length > 0);
    const unchanged = await server.request<AskRefineryResult>('workspace/executeCommand', { command: 'electrictown.askRefinery', arguments: [{ uri: stagedGreet, diagnostic: greetFinding, text: readFileSync(greet.staged, 'utf8') }] });
    assert.deepEqual(unchanged, { applied: false, outcome: 'unchanged', message: 'the refinery (planner) changed nothing' });
    assert.equal(edits.length, 1);

    // Accepted: the finding moves to the real file; the proposal is cleared.
    const accepted = await server.request<{ decisions: Record<string, string> }>('electrictown/decideProposals', { runId: started.runId, paths: ['src/greet.ts'], decision: 'accepted' });
    assert.deepEqual(accepted.decisions, { 'README.md': 'pending', 'src/greet.ts': 'accepted', 'src/main.ts': 'pending' });
    assert.deepEqual(messages(await diagnosticsOf(realGreet, (found) => found.length > 0)), ['name the greeting']);
    await diagnosticsOf(stagedGreet, (found) => found.length === 0);
    assert.deepEqual(JSON.parse(readFileSync(path.join(started.folder, 'review.json'), 'utf8')).files['src/greet.ts'].decision, 'accepted');

    // Undone: pending again, on the proposal again.
    await server.request('electrictown/decideProposals', { runId: started.runId, paths: ['src/greet.ts'], decision: 'pending' });
    await diagnosticsOf(stagedGreet, (found) => found.length === 1);
    await diagnosticsOf(realGreet, (found) => found.length === 0);
    await server.request('electrictown/decideProposals', { runId: started.runId, paths: ['src/greet.ts'], decision: 'accepted' });
    await diagnosticsOf(realGreet, (found) => found.length === 1);

    // A file accepted hunk by hunk, with some discarded: the run folder says it went in only partly.
    await server.request('electrictown/decideProposals', { runId: started.runId, paths: ['src/main.ts'], decision: 'accepted', partly: true });
    assert.deepEqual(JSON.parse(readFileSync(path.join(started.folder, 'review.json'), 'utf8')).files['src/main.ts'].partly, true);

    // Checkpoints: what an accept is about to overwrite is kept in the run folder (first accept of a file
    // wins), and listed with where it is kept; a file that did not exist is noted, not stored.
    assert.deepEqual(await server.request('electrictown/listCheckpoints', {}), { checkpoints: [] });
    assert.deepEqual(await server.request('electrictown/keepCheckpoint', { runId: started.runId, files: [{ path: 'README.md', before: OLD_README, afterSha256: 'a1' }, { path: 'src/greet.ts', before: null, afterSha256: 'b1' }] }), { kept: ['README.md', 'src/greet.ts'] });
    await server.request('electrictown/keepCheckpoint', { runId: started.runId, files: [{ path: 'README.md', before: 'after a hunk\n', afterSha256: 'a2' }] });
    const { checkpoints } = await server.request<{ checkpoints: Checkpoint[] }>('electrictown/listCheckpoints', {});
    assert.deepEqual(checkpoints.map((checkpoint) => [checkpoint.runId, checkpoint.files.map((file) => [file.path, file.target, file.stored, file.afterSha256])]), [
      [started.runId, [['README.md', readme.target, path.join(started.folder, 'checkpoint', 'files', 'README.md'), 'a2'], ['src/greet.ts', greet.target, null, 'b1']]],
    ]);
    assert.equal(readFileSync(checkpoints[0].files[0].stored!, 'utf8'), OLD_README);
    await assert.rejects(server.request('electrictown/keepCheckpoint', { runId: started.runId, files: [{ path: 'nope.ts', before: null, afterSha256: 'c' }] }), new RegExp(`files: run ${started.runId} proposed no nope\\.ts`));

    // Bad requests name the field.
    await assert.rejects(server.request('electrictown/decideProposals', { runId: started.runId, paths: ['nope.ts'], decision: 'accepted' }), new RegExp(`paths: run ${started.runId} proposed no nope\\.ts`));
    await assert.rejects(server.request('electrictown/decideProposals', { runId: started.runId, paths: ['README.md'], decision: 'maybe' }), /decision: expected one of "pending", "accepted", "discarded", got "maybe"/);
    await assert.rejects(server.request('electrictown/decideProposals', { paths: ['README.md'], decision: 'accepted' }), /runId: missing \(a string\)/);
    await assert.rejects(server.request('electrictown/decideProposals', { runId: started.runId, paths: [], decision: 'accepted' }), /paths: a list of the proposed files decided is needed/);

    // A new server shows the same: the accepted file's finding on it, the fixed one nowhere.
    server.kill();
    await start();
    assert.deepEqual(messages(await diagnosticsOf(realGreet, (found) => found.length > 0)), ['name the greeting']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const republished = server.messages.filter((message) => message.method === 'textDocument/publishDiagnostics').map((message) => [(message.params as { uri: string }).uri, messages((message.params as { diagnostics: Diagnostic[] }).diagnostics)]);
    assert.deepEqual(
      republished.filter(([, found]) => found.length > 0),
      [[realGreet, ['name the greeting']]],
    );
  });
});
