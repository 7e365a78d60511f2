// The run view's data over `et serve --stdio`, as the editor or any headless client gets it: a run's
// transcript (plan, every agent's prompt summary, answer and attempts, the witness's score and reasons,
// the summary) fetched in pages, followed live through `transcript-append` events while the run goes,
// the same for a past run and from `et transcript`, and never a secret in it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RunEvent, RunEventParams, RunStarted, TranscriptEntry, TranscriptPage } from '../../server/src/protocol';
import { FakeOpenAi } from '../helpers/fake-openai';
import { fileBlock, team } from '../helpers/fake-team';
import { GREET, goodTeam, greeterConfig } from '../helpers/greeter-scenario';
import { LspProcess } from '../helpers/lsp-process';
import { runEt } from '../helpers/run-cli';

const SECRET = 'fake-openai-key-0123456789';
const KEY = { ET_TEST_OPENAI_KEY: SECRET };
type Call = Extract<TranscriptEntry, { kind: 'call' }>;

describe('run transcripts over et serve --stdio', function () {
  this.timeout(30_000);
  let openai: FakeOpenAi;
  let server: LspProcess;
  let directory: string;

  beforeEach(async () => {
    openai = await FakeOpenAi.start();
    directory = mkdtempSync(path.join(tmpdir(), 'et-transcript-'));
    writeFileSync(path.join(directory, 'electrictown.yaml'), greeterConfig(openai.baseUrl));
    server = LspProcess.start(KEY);
    await server.initialize({ rootUri: pathToFileURL(directory).href, capabilities: {} });
  });
  afterEach(async () => {
    server.kill();
    await openai.stop();
  });

  const events = (runId: string) => server.runEvents(runId);
  const runEnd = (runId: string) => server.runEnd(runId);

  /** Every page from `cursor` on, as a client scrolling down would fetch them. */
  async function readAll(runId: string, cursor = 0, maxBytes?: number): Promise<{ pages: TranscriptPage[]; entries: TranscriptEntry[]; cursor: number }> {
    const pages: TranscriptPage[] = [];
    for (;;) {
      const page = await server.request<TranscriptPage>('electrictown/getTranscript', { runId, cursor, ...(maxBytes === undefined ? {} : { maxBytes }) });
      pages.push(page);
      cursor = page.cursor;
      if (!page.more) return { pages, entries: pages.flatMap((each) => each.entries), cursor };
    }
  }

  it('gives a finished run its whole transcript in pages: plan, every call with its answer and attempts, the review, the summary; no secret', async () => {
    // A worker that echoes the key: the transcript keeps its answer, not the key.
    openai.respondWith(team((call) => (call.phase === 'work' && call.subtask === 3 ? fileBlock('README.md', `# Greeter\n\nkey: ${SECRET}\n`) : goodTeam(call))).responder);
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', workers: 2 });
    await runEnd(started.runId);

    const { pages, entries, cursor } = await readAll(started.runId, 0, 2048);
    assert.ok(pages.length > 2, `${pages.length} pages of at most ~2 KB`);
    assert.ok(pages.every((page) => page.source === 'log' && page.run.status === 'succeeded'));
    // The last append the events announced is where the transcript ends.
    const appends = events(started.runId).filter((event): event is Extract<RunEvent, { kind: 'transcript-append' }> => event.kind === 'transcript-append');
    assert.equal(appends.at(-1)?.cursor, cursor);

    const plan = entries.find((entry) => entry.kind === 'plan');
    assert.deepEqual(plan?.kind === 'plan' && plan.subtasks.map((subtask) => [subtask.index, subtask.dependsOn]), [[1, []], [2, [1]], [3, []]]);
    const calls = entries.filter((entry): entry is Call => entry.kind === 'call');
    assert.deepEqual(calls.map((call) => call.seq), calls.map((_, index) => index + 1));
    const byPurpose = (purpose: string) => calls.filter((call) => call.purpose === purpose);
    assert.equal(byPurpose('decompose')[0].role, 'mayor');
    assert.equal(byPurpose('decompose')[0].model, 'planner');
    assert.match(byPurpose('decompose')[0].text ?? '', /Write src\/greet.ts/);
    assert.match(byPurpose('decompose')[0].prompt.text, /Build a greeter/);
    const work = byPurpose('work');
    assert.deepEqual(work.map((call) => call.subtask).sort(), [1, 2, 3]);
    assert.ok(work.find((call) => call.subtask === 1)?.text?.includes(GREET));
    assert.ok(work.every((call) => call.model === 'coder' && call.attempts.length === 1 && call.attempts[0].outcome === 'ok' && call.attempts[0].tokens.output === 50));
    const reviews = byPurpose('review');
    assert.equal(reviews.length, 3);
    assert.ok(reviews.every((call) => call.role === 'witness' && call.review?.score === 9 && call.review.reason === 'Clean and complete.'));
    assert.equal(byPurpose('polish')[0].role, 'refinery');
    const summary = entries.find((entry) => entry.kind === 'summary');
    assert.match(summary?.kind === 'summary' ? summary.text : '', /^A greeter library/);
    // Every call the run paid for is in it once.
    assert.equal(calls.reduce((sum, call) => sum + call.attempts.length, 0), pages[0].run.spend.requests);

    const stored = readFileSync(path.join(started.folder, '_transcript.jsonl'), 'utf8');
    assert.doesNotMatch(stored + JSON.stringify(pages), /fake-openai-key/);
    assert.match(work.find((call) => call.subtask === 3)?.text ?? '', /key: \[redacted\]/);

    // The same from a terminal.
    const cli = await runEt(['--config', path.join(directory, 'electrictown.yaml'), 'transcript', started.runId], { cwd: directory, env: KEY });
    assert.equal(cli.exitCode, 0, cli.stderr);
    assert.match(cli.stdout, /^run [0-9a-f]+ — succeeded/);
    assert.match(cli.stdout, /== witness · subtask 1 · review · judge/);
    assert.match(cli.stdout, /score: 9\.0 — Clean and complete\./);
    assert.match(cli.stdout, /== summary ==\nA greeter library/);
    assert.doesNotMatch(cli.stdout, /fake-openai-key/);

    // The run folder deleted: said plainly.
    rmSync(started.folder, { recursive: true });
    const gone = await server.reply('electrictown/getTranscript', { runId: started.runId });
    assert.match(gone.error?.message ?? '', new RegExp(`no run ${started.runId}`));
  });

  it('follows a running run: a page while it runs, then each append from the cursor, adding up to the whole', async () => {
    // Every answer takes 150 ms: the run is under way for a while.
    openai.answerAfter(150).respondWith(team(goodTeam).responder);
    const started = await server.request<RunStarted>('electrictown/run', { task: 'Build a greeter', outputDir: 'out', workers: 1 });
    const isRunEvent = (message: { method?: string }) => message.method === 'electrictown/runEvent';
    const third = await server.waitFor((message) => isRunEvent(message) && (message.params as RunEventParams).events.some((event) => event.kind === 'subtask-start' && event.subtask === 3));
    // The transcript is written in order: once an append after this event is announced, the plan is on disk.
    const after = server.messages.indexOf(third);
    await server.waitFor((message) => server.messages.indexOf(message) > after && isRunEvent(message) && (message.params as RunEventParams).events.some((event) => event.kind === 'transcript-append'));
    const early = await readAll(started.runId);
    assert.equal(early.pages[0].run.status, 'running');
    assert.ok(early.entries.some((entry) => entry.kind === 'plan'));
    assert.ok(!early.entries.some((entry) => entry.kind === 'summary'));

    let cursor = early.cursor;
    const followed = [...early.entries];
    await runEnd(started.runId);
    for (const append of events(started.runId).filter((event): event is Extract<RunEvent, { kind: 'transcript-append' }> => event.kind === 'transcript-append')) {
      if (append.cursor <= cursor) continue;
      const more = await readAll(started.runId, cursor);
      followed.push(...more.entries);
      cursor = more.cursor;
    }
    const whole = await readAll(started.runId);
    assert.equal(whole.pages[0].run.status, 'succeeded');
    assert.deepEqual(followed, whole.entries);
    assert.ok(whole.entries.length > early.entries.length);
  });
});
