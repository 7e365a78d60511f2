// A fake OpenAI-compatible team for the run-engine benchmark, in its own process so its CPU is not
// counted as the server's. Every call is answered after CALL_MS, as a model that takes time would; the
// answer depends on the phase, recognised by the built-in prompt the request carries: a plan of N
// subtasks (N from the task, "... N subtasks"), a file per worker, a passing review, a summary.
// Streamed answers go out as real SSE chunks of a few words each. Prints its port on stdout.
import { createServer } from 'node:http';
import { teamPhase } from '../scripts/team-phase.mjs';

const CALL_MS = 20;

/** A ~40-line TypeScript file, different per subtask. */
function source(index) {
  const lines = [`// Module ${index}: generated for the benchmark.`, `export interface Item${index} {`, '  id: number;', '  name: string;', '}', ''];
  for (let line = 0; line < 8; line++) lines.push(`export function step${line}(items: Item${index}[]): Item${index}[] {`, `  return items.filter((item) => item.id % ${line + 2} !== 0);`, '}', '');
  return lines.join('\n');
}

function answerFor(body) {
  const { phase, subtask, user } = teamPhase(body);
  switch (phase) {
    case 'decompose': {
      const count = Number(/(\d+) subtasks/.exec(user)?.[1] ?? 8);
      return Array.from({ length: count }, (_, index) => `${index + 1}. Write src/module-${index + 1}.ts with its item type and steps.`).join('\n');
    }
    case 'work':
      return `Here it is.\n\n===FILE: src/module-${subtask}.ts===\n${source(subtask)}===ENDFILE===\n`;
    case 'review':
      return 'SCORE: 9\nREASON: Complete and consistent.\nFINDINGS: none';
    default:
      return 'Built the modules in src/; run `tsc` to check them.';
  }
}

const ID = 'chatcmpl-bench';
const chunk = (choices, usage = null) => `data: ${JSON.stringify({ id: ID, object: 'chat.completion.chunk', created: 1763700000, model: 'bench', choices, usage })}\n\n`;

function respond(body, response) {
  const text = answerFor(body);
  const usage = { prompt_tokens: 500, completion_tokens: Math.ceil(text.length / 4), total_tokens: 500 + Math.ceil(text.length / 4) };
  if (!body.stream) {
    const answer = JSON.stringify({ id: ID, object: 'chat.completion', created: 1763700000, model: 'bench', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }], usage });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) }).end(answer);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
  const words = text.match(/\S+\s*/g) ?? [];
  let events = chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  for (let index = 0; index < words.length; index += 4) events += chunk([{ index: 0, delta: { content: words.slice(index, index + 4).join('') }, finish_reason: null }]);
  events += chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]) + chunk([], usage) + 'data: [DONE]\n\n';
  response.end(events);
}

const server = createServer((request, response) => {
  const parts = [];
  request.on('data', (part) => parts.push(part));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    setTimeout(() => respond(body, response), CALL_MS);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
