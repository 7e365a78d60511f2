// What happens to each message read, before any handler sees it. JSON that is not a JSON-RPC 2.0
// message gets Invalid Request; before `initialize`, a request gets ServerNotInitialized and a
// notification other than `exit` is dropped (as the LSP spec says); a message whose params do not fit
// their declared type (request-params.ts) gets Invalid Params naming the field, or, a notification,
// is dropped. Everything else passes, with its params as checked. Pure.
import { ErrorCodes, type Message, type ResponseMessage } from 'vscode-languageserver/node';
import { describeParamsIssue } from './params-problem';
import { fieldsAt, paramsSchemaFor } from './request-params';

export type Verdict =
  /** To the connection. `initializes`: the `initialize` request, after which everything is served. */
  | { kind: 'pass'; message: Message; initializes: boolean }
  /** Answered here, with this error response. */
  | { kind: 'reply'; reply: ResponseMessage }
  /** A notification that is not acted on, and why. */
  | { kind: 'drop'; reason: string };

type Id = string | number | null;

const NOT_A_MESSAGE = 'Invalid Request: not a JSON-RPC 2.0 request, notification or response';

function errorReply(id: Id, code: number, message: string, data?: unknown): Verdict {
  const error = data === undefined ? { code, message } : { code, message, data };
  return { kind: 'reply', reply: { jsonrpc: '2.0', id, error } };
}

function isId(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

/** The verdict on one message read from the client; `initialized` once `initialize` has passed. */
export function checkMessage(message: unknown, initialized: boolean): Verdict {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return errorReply(null, ErrorCodes.InvalidRequest, NOT_A_MESSAGE);
  const candidate: Record<string, unknown> = { ...message };
  const { id, method } = candidate;
  const replyId = isId(id) ? id : null;
  if (candidate.jsonrpc !== '2.0') return errorReply(replyId, ErrorCodes.InvalidRequest, `${NOT_A_MESSAGE} ("jsonrpc" must be "2.0")`);
  if (typeof method !== 'string') {
    const isResponse = (isId(id) || id === null) && ('result' in candidate || 'error' in candidate);
    return isResponse ? { kind: 'pass', message: { ...candidate, jsonrpc: '2.0' }, initializes: false } : errorReply(replyId, ErrorCodes.InvalidRequest, NOT_A_MESSAGE);
  }
  if (id !== undefined && !isId(id)) return errorReply(null, ErrorCodes.InvalidRequest, `Invalid Request: the id of ${method} must be a number or a string`);
  const isRequest = id !== undefined;
  if (!initialized && method !== 'initialize' && !(method === 'exit' && !isRequest)) {
    return isRequest ? errorReply(replyId, ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized; send initialize first`) : { kind: 'drop', reason: `${method} before initialize` };
  }
  const initializes = isRequest && method === 'initialize';
  const schema = paramsSchemaFor(method, candidate.params);
  if (schema === undefined) return { kind: 'pass', message: { ...candidate, jsonrpc: '2.0' }, initializes };
  // JSON-RPC lets a client leave params out; for a custom method that is an empty object.
  const params = candidate.params === undefined ? {} : candidate.params;
  const parsed = schema.safeParse(params);
  if (parsed.success) {
    const checked = { ...candidate, jsonrpc: '2.0', params: parsed.data };
    return { kind: 'pass', message: checked, initializes };
  }
  const problem = describeParamsIssue(parsed.error.issues[0], params, (path) => fieldsAt(schema, path));
  return isRequest ? errorReply(replyId, ErrorCodes.InvalidParams, problem.message, { field: problem.field }) : { kind: 'drop', reason: `${method}: ${problem.message}` };
}
