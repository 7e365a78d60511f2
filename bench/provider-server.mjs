// A minimal OpenAI Chat Completions server for the router benchmarks, in its own process so its CPU
// is not counted as the client's. Answers are prebuilt bytes in the real wire format (§1.3, §1.4):
// a plain JSON answer, or a stream of TOKENS content chunks, each written on its own, then the
// include_usage chunk and `data: [DONE]`. A request for model `slow` is answered after SLOW_MS, as a
// provider that takes time to generate would. Prints its port on stdout.
import { createServer } from 'node:http';

const TOKENS = Number(process.env.BENCH_STREAM_TOKENS ?? 2000);
const SLOW_MS = 20;
const ID = 'chatcmpl-AbC123';
const MODEL = 'gpt-4.1-mini-2025-04-14';
const usage = { prompt_tokens: 21, completion_tokens: TOKENS, total_tokens: 21 + TOKENS, prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } };

const plain = Buffer.from(
  JSON.stringify({ id: ID, object: 'chat.completion', created: 1763700000, model: MODEL, choices: [{ index: 0, logprobs: null, finish_reason: 'stop', message: { role: 'assistant', content: 'The answer is 7.', refusal: null, annotations: [] } }], usage: { ...usage, completion_tokens: 5, total_tokens: 26 }, service_tier: 'default', system_fingerprint: 'fp_0a1b2c3d4e' }, null, 2),
);

const chunk = (choices, chunkUsage = null) => `data: ${JSON.stringify({ id: ID, object: 'chat.completion.chunk', created: 1763700000, model: MODEL, service_tier: 'default', system_fingerprint: 'fp_0a1b2c3d4e', choices, usage: chunkUsage, obfuscation: 'xyz' })}\n\n`;
const events = [
  chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]),
  ...Array.from({ length: TOKENS }, (_, index) => chunk([{ index: 0, delta: { content: index % 7 === 6 ? ' prime' : ' word' }, logprobs: null, finish_reason: null }])),
  chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]),
  chunk([], usage),
  'data: [DONE]\n\n',
].map((event) => Buffer.from(event));

const server = createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    if (!body.stream) {
      const answer = () => response.writeHead(200, { 'content-type': 'application/json', 'content-length': plain.length }).end(plain);
      if (body.model === 'slow') setTimeout(answer, SLOW_MS);
      else answer();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    for (const event of events) response.write(event);
    response.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
