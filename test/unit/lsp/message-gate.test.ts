// Each message's fate before a handler sees it: the lifecycle, the JSON-RPC shape, and params checked
// against the protocol's types.
import assert from 'node:assert/strict';
import * as protocol from '../../../server/src/protocol';
import { checkMessage, type Verdict } from '../../../server/src/lsp/message-gate';
import { PARAMS_SCHEMAS } from '../../../server/src/lsp/request-params';

const request = (method: string, params?: unknown, id: unknown = 7) => ({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
const notification = (method: string, params?: unknown) => ({ jsonrpc: '2.0', method, params });

/** The error a request gets once the server is initialized, as `code message`, or `pass`. */
function answer(method: string, params?: unknown): string {
  const verdict = checkMessage(request(method, params), true);
  return verdict.kind === 'reply' ? `${verdict.reply.error?.code} ${verdict.reply.error?.message}` : verdict.kind;
}

describe('the message gate', () => {
  describe('before initialize', () => {
    it('answers a request with ServerNotInitialized, echoing its id', () => {
      for (const method of ['electrictown/run', 'shutdown', 'textDocument/hover']) {
        assert.deepEqual(checkMessage(request(method, { task: 'x' }, 'a1'), false), {
          kind: 'reply',
          reply: { jsonrpc: '2.0', id: 'a1', error: { code: -32002, message: `${method}: the server is not initialized; send initialize first` } },
        });
      }
    });

    it('drops notifications but exit, and lets initialize and responses through', () => {
      assert.deepEqual(checkMessage(notification('textDocument/didOpen', {}), false), { kind: 'drop', reason: 'textDocument/didOpen before initialize' });
      assert.deepEqual(checkMessage(notification('electrictown/workspaceTrust', { trusted: true }), false), { kind: 'drop', reason: 'electrictown/workspaceTrust before initialize' });
      assert.equal(checkMessage(notification('exit'), false).kind, 'pass');
      const initialize = checkMessage(request('initialize', { processId: null, rootUri: null, capabilities: {} }), false);
      assert.deepEqual([initialize.kind, initialize.kind === 'pass' && initialize.initializes], ['pass', true]);
      assert.equal(checkMessage({ jsonrpc: '2.0', id: 3, result: null }, false).kind, 'pass');
      // An `exit` sent as a request is a request like any other.
      assert.equal(checkMessage(request('exit'), false).kind, 'reply');
    });
  });

  it('answers what is not a JSON-RPC 2.0 message with Invalid Request', () => {
    const invalid = (message: unknown): [string, unknown, number | undefined] => {
      const verdict: Verdict = checkMessage(message, true);
      return [verdict.kind, verdict.kind === 'reply' ? verdict.reply.id : undefined, verdict.kind === 'reply' ? verdict.reply.error?.code : undefined];
    };
    assert.deepEqual(invalid([1, 2]), ['reply', null, -32600]);
    assert.deepEqual(invalid(null), ['reply', null, -32600]);
    assert.deepEqual(invalid('text'), ['reply', null, -32600]);
    assert.deepEqual(invalid({ jsonrpc: '2.0', id: 42, nonsense: true }), ['reply', 42, -32600]);
    assert.deepEqual(invalid({ id: 5, method: 'shutdown' }), ['reply', 5, -32600]);
    assert.deepEqual(invalid({ jsonrpc: '1.0', id: 5, method: 'shutdown' }), ['reply', 5, -32600]);
    assert.deepEqual(invalid({ jsonrpc: '2.0', id: { a: 1 }, method: 'shutdown' }), ['reply', null, -32600]);
    assert.deepEqual(invalid({ jsonrpc: '2.0', id: true, result: 1 }), ['reply', null, -32600]);
    assert.deepEqual(invalid({ jsonrpc: '2.0', id: null, error: { code: 1, message: 'm' } }), ['pass', undefined, undefined]);
  });

  it('refuses wrongly typed params with Invalid Params naming the field', () => {
    const cases: [string, unknown, string][] = [
      ['electrictown/run', { task: 'Build it', workers: '8' }, 'workers: expected a number, got string'],
      ['electrictown/run', { task: 5 }, 'task: expected a string, got number'],
      ['electrictown/run', null, 'params: expected an object, got null'],
      ['electrictown/run', [{ task: 'Build it' }], 'params: expected an object, got array'],
      ['electrictown/run', {}, 'task: missing: say what to build (or resume a run)'],
      ['electrictown/run', { task: 'Build it', workers: 2.5 }, 'workers: expected a whole number, got 2.5'],
      ['electrictown/run', { task: 'Build it', workers: 0 }, 'workers: must be at least 1'],
      ['electrictown/run', { task: 'Build it', budgetUsd: 0 }, 'budgetUsd: must be more than 0'],
      ['electrictown/run', { task: 'Build it', wrokers: 2 }, 'wrokers: unknown field; did you mean workers?'],
      ['electrictown/run', { task: 'Build it', colour: 'red' }, 'colour: unknown field'],
      ['electrictown/run', { task: 'Build it', writeMode: 'fast' }, 'writeMode: expected one of "disk", "workspaceEdit", "review", got "fast"'],
      ['electrictown/run', { task: 'Build it', workDoneToken: true }, 'workDoneToken: expected a number or a string, got boolean'],
      ['electrictown/run', { task: 'Build it', context: ['src', 5] }, 'context[1]: expected a string, got number'],
      ['electrictown/run', { task: 'Build it', role: ' ' }, 'role: must not be empty'],
      ['electrictown/run', { task: 'Build it', gates: Array(51).fill('make') }, 'gates: must have at most 50 items'],
      ['electrictown/run', { task: 'Build it', selection: { path: 'a.go', startLine: 1, endLine: 2 } }, 'selection.text: missing (a string)'],
      ['electrictown/run', { task: 'Build it', selection: { path: 'a.go', startLine: 1, endLine: 2, text: '', lines: 1 } }, 'selection.lines: unknown field'],
      ['electrictown/run', { task: 'Build it', selection: { path: 'a.go', startLine: 3, endLine: 2, text: '' } }, 'selection: must end at or after its start line'],
      ['electrictown/cancelRun', { runId: {} }, 'runId: expected a string, got object'],
      ['electrictown/cancelRun', undefined, 'runId: missing (a string)'],
      ['electrictown/getRun', { runId: 'abc', configPath: 7 }, 'configPath: expected a string, got number'],
      ['electrictown/listRuns', { limit: 0 }, 'limit: must be at least 1'],
      ['electrictown/costs', { by: 'day' }, 'by: expected one of "role", "provider", "model", "run", got "day"'],
      ['electrictown/session/send', { id: 'abc', txt: 'hi' }, 'text: missing (a string)'],
      ['electrictown/session/spawn', 'Hello', 'params: expected an object, got string'],
      ['initialize', { capabilities: {}, initializationOptions: { workspaceTrusted: 'false' } }, 'initializationOptions.workspaceTrusted: expected a boolean, got string'],
      ['initialize', { capabilities: {}, initializationOptions: { budgetPromt: true } }, 'initializationOptions.budgetPromt: unknown field; did you mean budgetPrompt?'],
      ['workspace/executeCommand', { command: 'electrictown.askRefinery', arguments: [{ uri: 'file:///a.ts', diagnostic: { range: { start: { line: 0 } }, message: 'm' } }] }, 'arguments[0].diagnostic.range.start.character: missing (a number)'],
      ['workspace/executeCommand', { command: 'electrictown.askRefinery', arguments: [] }, 'arguments: must have at least 1 item'],
    ];
    for (const [method, params, message] of cases) assert.equal(answer(method, params), `-32602 ${message}`, `${method} ${JSON.stringify(params)}`);
  });

  it('names the field in the error’s data too', () => {
    const verdict = checkMessage(request('electrictown/run', { task: 'Build it', selection: { path: 'a', startLine: 'one', endLine: 1, text: '' } }), true);
    assert.deepEqual(verdict.kind === 'reply' && verdict.reply.error?.data, { field: 'selection.startLine' });
  });

  it('passes good params on as checked, and an omitted one as an empty object', () => {
    for (const [method, params] of [
      ['electrictown/run', { task: 'Build it', workers: 2, selection: { path: 'a.go', startLine: 1, endLine: 1, text: 'x' }, workDoneToken: 'token' }],
      ['electrictown/run', { resume: 'abc123' }],
      ['electrictown/listRuns', {}],
      ['initialize', { processId: null, capabilities: {}, initializationOptions: null, trace: 'off' }],
      ['workspace/executeCommand', { command: 'other.command', arguments: [1] }],
      ['workspace/executeCommand', { command: 'electrictown.askRefinery', arguments: [{ uri: 'file:///a.ts', diagnostic: { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: { kind: 'markdown', value: 'm' }, source: 'electrictown witness', data: { run: 'r' } } }] }],
    ] as const) {
      assert.deepEqual(checkMessage(request(method, params), true), { kind: 'pass', message: request(method, params), initializes: method === 'initialize' });
    }
    assert.deepEqual(checkMessage(request('electrictown/session/list'), true), { kind: 'pass', message: request('electrictown/session/list', {}), initializes: false });
  });

  it('drops a notification with wrong params, saying why', () => {
    assert.deepEqual(checkMessage(notification('electrictown/workspaceTrust', { trusted: 'yes' }), true), { kind: 'drop', reason: 'electrictown/workspaceTrust: trusted: expected a boolean, got string' });
  });

  it('has a params schema for every message a client sends', () => {
    const fromClient = Object.values(protocol).flatMap((declared) => (typeof declared === 'object' && declared !== null && 'messageDirection' in declared && declared.messageDirection === 'clientToServer' && 'method' in declared ? [String(declared.method)] : []));
    assert.ok(fromClient.length >= 13, fromClient.join(', '));
    assert.deepEqual(fromClient.filter((method) => !Object.hasOwn(PARAMS_SCHEMAS, method)), []);
  });
});
