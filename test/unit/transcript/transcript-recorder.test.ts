// The recorder around the engine's router and events: a call's prompt in short, answer, attempts (a
// fallback with the provider's reason) and a witness's score; a failed call's error; the plan, a gate
// with its log and the summary; lines batched while a write waits, each batch announced with its
// cursor; secrets redacted; a failing write said once.
import assert from 'node:assert/strict';
import type { RunEvent, RunRecord, TranscriptEntry } from '../../../server/src/protocol';
import type { AttemptRecord, RoutedResult } from '../../../server/src/router/router';
import type { EngineDependencies, RunRouter } from '../../../server/src/run/engine';
import { TranscriptRecorder } from '../../../server/src/transcript/transcript-recorder';

const SECRET = 'sk-live-0123456789abcdef';

function attempt(outcome: AttemptRecord['outcome'], reference: string, extra: Partial<AttemptRecord> = {}): AttemptRecord {
  return { reference, alias: undefined, provider: 'openai', providerType: 'openai', modelId: `${reference}-1`, outcome, sent: true, usage: { inputTokens: 100, outputTokens: outcome === 'ok' ? 40 : 0 }, usageEstimated: false, usd: outcome === 'ok' ? 0.001 : 0, durationMs: 12, sequence: 1, ...extra } as AttemptRecord;
}

/** A sink whose writes wait until released, as a busy disk would. */
class SlowSink {
  text = '';
  writes = 0;
  private releases: (() => void)[] = [];
  appendTranscript(take: () => string): Promise<number> {
    return new Promise((resolve) => {
      this.releases.push(() => {
        this.writes++;
        this.text += take();
        resolve(Buffer.byteLength(this.text));
      });
    });
  }
  async releaseAll(): Promise<void> {
    while (this.releases.length > 0) {
      this.releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  entries(): TranscriptEntry[] {
    return this.text.trim().split('\n').map((line) => JSON.parse(line));
  }
}

function setUp(router: RunRouter['request']) {
  const sink = new SlowSink();
  const emitted: RunEvent[] = [];
  const warnings: string[] = [];
  const recorder = new TranscriptRecorder(sink, [SECRET], () => Date.parse('2026-12-01T10:00:00Z'));
  const deps = recorder.wrap({ router: { chainFor: () => ({}) as never, pricingFor: () => undefined, request: router }, emit: (event) => emitted.push(event), writeFiles: (async () => ({})) as never, signal: new AbortController().signal } as EngineDependencies);
  const record = { build: { status: 'failed', reason: undefined, attempts: [{ iteration: 1, gate: 'build', log: '_gate_build_iter1.log' }] } } as unknown as RunRecord;
  recorder.attach({ record, warn: (message) => warnings.push(message) });
  return { sink, emitted, warnings, deps };
}

describe('the transcript recorder', () => {
  it('records each call with its prompt in short, answer, attempts and a review; a failure with its error; batched, announced, redacted', async () => {
    const { sink, emitted, deps } = setUp(async (request) => {
      const purpose = request.tags?.purpose;
      if (purpose === 'fix') throw new Error(`every model failed (key ${SECRET})`);
      if (purpose === 'work') request.onEvent?.({ type: 'attempt-end', ...attempt('fallback', 'fast', { errorClass: 'rate_limit', message: 'Rate limit reached\nmore' }) });
      request.onEvent?.({ type: 'attempt-end', ...attempt('ok', 'coder') });
      const text = purpose === 'review' ? 'SCORE: 7/10\nREASON: Misses an edge case.' : `done, with ${SECRET}`;
      return { result: { text }, entry: { reference: 'coder' }, attempts: [] } as unknown as RoutedResult;
    });
    const messages = [
      { role: 'system' as const, content: 'You are a worker.' },
      { role: 'user' as const, content: `Write   greet.ts\n\nusing key ${SECRET}. ${'x'.repeat(400)}` },
    ];
    await deps.router.request({ target: { role: 'polecat' }, messages, signal: new AbortController().signal, tags: { subtask: 2, purpose: 'work' } });
    await deps.router.request({ target: { role: 'witness' }, messages, signal: new AbortController().signal, tags: { subtask: 2, purpose: 'review' } });
    await assert.rejects(deps.router.request({ target: { role: 'polecat' }, messages, signal: new AbortController().signal, tags: { purpose: 'fix' } }));
    deps.emit({ kind: 'plan-ready', subtasks: [{ index: 1, text: 'Write greet', dependsOn: [], specialist: undefined, files: ['greet.ts'] }] });
    deps.emit({ kind: 'build-start', iteration: 1, command: 'go build ./...', gate: 'build', gateKind: 'build' });
    deps.emit({ kind: 'build-end', iteration: 1, passed: false, errors: 2, durationMs: 300, gate: 'build', gateKind: 'build', status: 'failed' });
    // The first line's write waits on the disk: the five after it go out with it, in one write.
    await sink.releaseAll();
    assert.equal(sink.writes, 1);
    const first = Buffer.byteLength(sink.text);
    deps.emit({ kind: 'synthesis-end', text: `Built it. ${SECRET}` });
    await sink.releaseAll();
    assert.equal(sink.writes, 2);
    const appends = emitted.filter((event) => event.kind === 'transcript-append');
    assert.deepEqual(appends.map((event) => event.kind === 'transcript-append' && event.cursor), [first, Buffer.byteLength(sink.text)]);

    assert.doesNotMatch(sink.text, /sk-live/);
    const [work, review, fix, plan, build, summary] = sink.entries();
    assert.ok(work.kind === 'call' && review.kind === 'call' && fix.kind === 'call');
    assert.deepEqual([work.seq, work.role, work.purpose, work.subtask, work.model, work.text], [1, 'polecat', 'work', 2, 'coder', 'done, with [redacted]']);
    assert.deepEqual([work.prompt.messages, work.prompt.text.startsWith('Write greet.ts using key [redacted]. xxx'), work.prompt.text.endsWith('…')], [2, true, true]);
    assert.deepEqual(work.attempts.map((each) => [each.reference, each.outcome, each.errorClass, each.message]), [['fast', 'fallback', 'rate_limit', 'Rate limit reached'], ['coder', 'ok', undefined, undefined]]);
    assert.deepEqual(review.review, { score: 7, reason: 'Misses an edge case.' });
    assert.deepEqual([fix.model, fix.text, fix.error, fix.subtask], [undefined, undefined, 'every model failed (key [redacted])', undefined]);
    assert.deepEqual(plan, { kind: 'plan', at: '2026-12-01T10:00:00.000Z', subtasks: [{ index: 1, text: 'Write greet', dependsOn: [], files: ['greet.ts'] }] });
    assert.ok(build.kind === 'build' && build.command === 'go build ./...' && build.log === '_gate_build_iter1.log' && build.errors === 2 && build.status === 'failed');
    assert.deepEqual(summary, { kind: 'summary', at: '2026-12-01T10:00:00.000Z', text: 'Built it. [redacted]' });
  });

  it('says once that the transcript could not be written, and the run goes on', async () => {
    const warnings: string[] = [];
    const recorder = new TranscriptRecorder({ appendTranscript: () => Promise.reject(new Error('ENOSPC')) }, []);
    const deps = recorder.wrap({ emit: () => undefined } as unknown as EngineDependencies);
    recorder.attach({ record: {} as RunRecord, warn: (message) => warnings.push(message) });
    deps.emit({ kind: 'synthesis-end', text: 'one' });
    await new Promise((resolve) => setImmediate(resolve));
    deps.emit({ kind: 'synthesis-end', text: 'two' });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings, ['the transcript could not be written: ENOSPC']);
  });
});
