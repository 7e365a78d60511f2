// A stand-in OpenAI-compatible provider on 127.0.0.1 for the in-editor tests: it answers as each role
// would (told apart by the system prompt), in OpenAI's wire format, plain or streamed. It records each
// request's Authorization header and each worker's subtask, and can hold workers' calls until they are
// aborted.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInAnswers {
  plan: string;
  /** A worker's answer, given its subtask's text. */
  work: (subtask: string) => string;
  /** The witness's verdict, given what it reviews. */
  review: (reviewed: string) => string;
  fix: string;
  summary: string;
  /** The mayor's plan for a refinement (a follow-up round); default: `plan`. */
  followUp?: string;
}

/** A worker's subtask, from its prompt (a follow-up's worker that goes on: its new part, named last). */
const subtaskOf = (user: string): string => [...user.matchAll(/Your part of it \(subtask \d+\):\n(.*)/g)].at(-1)?.[1] ?? /Your subtask \(\d+ of \d+\):\n(.*)/.exec(user)?.[1] ?? '';

export function roleAnswer(system: string, user: string, answers: StandInAnswers): string {
  if (system.includes('Split the task')) return answers.plan;
  if (system.includes('asks for a refinement')) return answers.followUp ?? answers.plan;
  if (system.includes('doing one subtask')) return answers.work(subtaskOf(user));
  if (system.includes('strict code reviewer')) return answers.review(user);
  if (system.includes('fixing a teammate')) return answers.fix;
  return answers.summary;
}

export class StandIn {
  readonly authorizations: (string | undefined)[] = [];
  /** Each worker call's subtask text, in arrival order. */
  readonly workerCalls: string[] = [];
  /** Every request's system and user messages, in arrival order. */
  readonly prompts: { system: string; user: string }[] = [];
  /** Workers' calls held (true: all, or those whose subtask matches) get no answer until their client gives up. */
  holdWorkers: boolean | ((subtask: string) => boolean) = false;
  heldCalls = 0;
  /** A streamed answer comes in this many content chunks, as a model's tokens would… */
  streamChunks = 1;
  /** …this far apart. */
  chunkGapMs = 0;
  /** While set (and chunks are apart), a worker's streamed answer stops halfway until it resolves: a test looks at it mid-stream. */
  streamGate: Promise<void> | undefined;

  private constructor(
    private readonly server: Server,
    public answers: StandInAnswers,
  ) {}

  static start(answers: StandInAnswers): Promise<StandIn> {
    let standIn: StandIn;
    const server = createServer((request, response) => standIn.handle(request, response));
    standIn = new StandIn(server, answers);
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(standIn)));
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    this.authorizations.push(request.headers.authorization);
    let raw = '';
    request.on('data', (chunk) => (raw += String(chunk)));
    request.on('end', () => {
      const body = JSON.parse(raw) as { model: string; stream?: boolean; messages: { role: string; content: string }[] };
      const system = body.messages.find((message) => message.role === 'system')?.content ?? '';
      const user = body.messages.filter((message) => message.role === 'user').map((message) => message.content).join('\n');
      this.prompts.push({ system, user });
      const worker = system.includes('doing one subtask');
      if (worker) {
        const subtask = subtaskOf(user);
        this.workerCalls.push(subtask);
        if (this.holdWorkers === true || (typeof this.holdWorkers === 'function' && this.holdWorkers(subtask))) {
          this.heldCalls++;
          return; // Never answered: the run's cancel aborts it.
        }
      }
      const text = roleAnswer(system, user, this.answers);
      const usage = { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 };
      if (!body.stream) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: body.model, choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }], usage }));
        return;
      }
      const chunk = (choices: unknown[], chunkUsage: unknown = null) => `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: body.model, choices, usage: chunkUsage })}\n\n`;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const size = Math.ceil(text.length / this.streamChunks) || 1;
      const deltas = Array.from({ length: Math.ceil(text.length / size) }, (_, index) => chunk([{ index: 0, delta: { ...(index === 0 ? { role: 'assistant' } : {}), content: text.slice(index * size, (index + 1) * size) }, finish_reason: null }]));
      const end = chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]) + chunk([], usage) + 'data: [DONE]\n\n';
      if (this.chunkGapMs === 0) {
        response.end(deltas.join('') + end);
        return;
      }
      const half = Math.floor(deltas.length / 2);
      const next = (index: number) => {
        if (response.destroyed) return;
        if (index === deltas.length) response.end(end);
        else {
          response.write(deltas[index]);
          const gate = worker && index === half ? this.streamGate : undefined;
          if (gate) void gate.then(() => setTimeout(() => next(index + 1), this.chunkGapMs));
          else setTimeout(() => next(index + 1), this.chunkGapMs);
        }
      };
      next(0);
    });
  }
}
