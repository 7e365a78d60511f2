// A stand-in provider on 127.0.0.1 in OpenAI's wire format (streamed or not), for the UI checks: each
// request is answered with `answer(systemPrompt)`, so one function plays every role.
import { createServer } from 'node:http';

/**
 * Listening on a free port; its base URL for electrictown.yaml is `http://127.0.0.1:<port>/v1`.
 * `holdStream(systemPrompt)` may return a promise: a streamed answer then sends all but its last line and
 * waits for it before the rest, so a check can look at a run while a worker is mid-answer.
 */
export function standInProvider(answer, { holdStream = () => undefined } = {}) {
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => (raw += chunk));
    request.on('end', () => {
      // The models list (wire-formats §1.5), which Run Task's pre-flight asks for before the task.
      if (request.method === 'GET' && request.url === '/v1/models') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'stand-in', object: 'model', created: 1744318173, owned_by: 'system' }] }));
        return;
      }
      const body = JSON.parse(raw);
      const system = body.messages.find((message) => message.role === 'system')?.content ?? '';
      const text = answer(system);
      // About four characters a token, as the providers' own tokenizers roughly count.
      const promptTokens = Math.ceil(body.messages.reduce((sum, message) => sum + String(message.content).length, 0) / 4);
      const completionTokens = Math.ceil(text.length / 4);
      const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }], usage }));
        return;
      }
      const chunk = (choices, chunkUsage = null) => `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: body.model, choices, usage: chunkUsage })}\n\n`;
      const rest = () => chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]) + chunk([], usage) + 'data: [DONE]\n\n';
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const hold = holdStream(system);
      if (!hold) {
        response.end(chunk([{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }]) + rest());
        return;
      }
      const cut = text.lastIndexOf('\n') + 1 || text.length;
      response.write(chunk([{ index: 0, delta: { role: 'assistant', content: text.slice(0, cut) }, finish_reason: null }]));
      void hold.then(() => response.end(chunk([{ index: 0, delta: { content: text.slice(cut) }, finish_reason: null }]) + rest()));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The roles' answers for a run that writes notes.md and gets one review finding on its line 3. */
export function notesAnswer(system) {
  if (system.includes('Split the task')) return '1. Write notes.md with a title and a line.';
  if (system.includes('doing one subtask')) return '===FILE: notes.md===\n# Notes\n\nThings to remember.\n===ENDFILE===';
  if (system.includes('strict code reviewer')) return 'SCORE: 7\nREASON: Fine, but vague.\nFINDINGS:\n- notes.md:3: warning: say which things';
  return 'Wrote notes.md.';
}
