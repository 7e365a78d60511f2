import assert from 'node:assert/strict';
import { classifyHttpError } from '../../../server/src/providers/classify-http-error';
import { ProviderError } from '../../../server/src/providers/provider-error';
import { redactSecrets } from '../../../server/src/providers/redact';
import { parseDuration, parseRetryAfter, readRetryDelayMs } from '../../../server/src/providers/retry-delay';
import { ERROR_RESPONSES } from '../../fixtures/providers/error-responses';

const NOW = Date.parse('2026-11-21T12:00:00Z');

describe('classifying provider errors (wire-formats §6)', () => {
  for (const response of ERROR_RESPONSES) {
    it(response.name, () => {
      const classification = classifyHttpError(response.provider, { status: response.status, headers: response.headers ?? {}, body: response.body }, { now: NOW, secrets: [] });
      const { errorClass, action, retryAfterMs } = classification;
      assert.deepEqual({ errorClass, action, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }, response.expected);
      assert.ok(classification.message.length > 0);
    });
  }

  it('uses the provider’s message, and describes HTML pages instead of quoting them', () => {
    const [context] = ERROR_RESPONSES.filter((response) => response.name === 'anthropic 400 prompt too long');
    assert.equal(classifyHttpError('anthropic', { status: 400, headers: {}, body: context.body }, { now: NOW, secrets: [] }).message, 'prompt is too long: 205351 tokens > 200000 maximum');
    const [html] = ERROR_RESPONSES.filter((response) => response.name === 'openai 502 cloudflare html');
    assert.equal(classifyHttpError('openai', { status: 502, headers: {}, body: html.body }, { now: NOW, secrets: [] }).message, 'HTTP 502 with an HTML error page');
  });

  it('never lets a key through: configured secrets, echoed keys, Authorization values, ?key=', () => {
    const key = 'AIzaSyD-secret-secret-secret-123';
    const body = JSON.stringify({ error: { code: 400, status: 'INVALID_ARGUMENT', message: `bad request to https://host/v1beta/models?key=${key} with Authorization: Bearer abc.def.ghi and sk-abc***wxyz` } });
    const { message } = classifyHttpError('gemini', { status: 400, headers: {}, body }, { now: NOW, secrets: [key] });
    assert.ok(!message.includes('secret') && !message.includes('abc.def') && !message.includes('sk-abc'), message);
    assert.match(message, /\?key=\[redacted\]/);
    assert.match(message, /Bearer \[redacted\]/);
  });

  it('obeys x-should-retry: true, but never for a bad key', () => {
    const quota = ERROR_RESPONSES.find((response) => response.name === 'openai 429 insufficient quota');
    assert.equal(classifyHttpError('openai', { status: 429, headers: { 'x-should-retry': 'true' }, body: quota?.body ?? '' }, { now: NOW, secrets: [] }).action, 'retry');
    assert.equal(classifyHttpError('anthropic', { status: 401, headers: { 'x-should-retry': 'true' }, body: '' }, { now: NOW, secrets: [] }).action, 'fail');
  });
});

describe('retry delays (wire-formats §6.1)', () => {
  it('parses retry-after as seconds or an HTTP date, and durations in protobuf and Go forms', () => {
    assert.equal(parseRetryAfter('7', NOW), 7000);
    assert.equal(parseRetryAfter('Sat, 21 Nov 2026 12:00:05 GMT', NOW), 5000);
    assert.equal(parseRetryAfter('0', NOW), undefined);
    assert.equal(parseRetryAfter('soon', NOW), undefined);
    assert.deepEqual(['43s', '0.5s', '6m0s', '6ms', '1h2m3.5s', '', 's', '5 s', '-3s'].map(parseDuration), [43_000, 500, 360_000, 6, 3_723_500, undefined, undefined, undefined, undefined]);
  });
  it('takes retry-after-ms first, ignoring zero and nonsense', () => {
    assert.equal(readRetryDelayMs({ 'retry-after-ms': '250.5', 'retry-after': '9' }, undefined, NOW), 250.5);
    assert.equal(readRetryDelayMs({ 'retry-after-ms': '0', 'retry-after': '9' }, undefined, NOW), 9000);
    assert.equal(readRetryDelayMs({ 'retry-after-ms': 'x' }, undefined, NOW), undefined);
    assert.equal(readRetryDelayMs({ 'x-ratelimit-remaining-tokens': '5', 'x-ratelimit-reset-tokens': '1s' }, undefined, NOW), undefined);
  });
});

describe('ProviderError', () => {
  it('carries its classification and is recognised across bundles', () => {
    const error = new ProviderError('claude', 'anthropic', { errorClass: 'overloaded', action: 'retry', message: 'Overloaded' }, 529);
    assert.equal(error.message, 'claude: Overloaded (HTTP 529)');
    assert.equal(error.errorClass, 'overloaded');
    assert.ok(ProviderError.isInstance(error));
    assert.ok(!ProviderError.isInstance(new Error('x')));
    assert.ok(ProviderError.isInstance({ [Symbol.for('electrictown.ProviderError')]: true }));
  });
  it('redacts without touching ordinary text', () => {
    assert.equal(redactSecrets('model gpt-4o is fine', ['key-that-is-not-here']), 'model gpt-4o is fine');
  });
});
