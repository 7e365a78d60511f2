// The built `et serve --stdio`, spoken to as any LSP client (the editor, or a headless agent) would.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIG_FIXTURES, expectedIssueLines } from '../helpers/config-fixtures';
import { LspProcess, type JsonRpcMessage } from '../helpers/lsp-process';

const TEN_MISTAKES = path.join(CONFIG_FIXTURES, 'invalid', 'ten-mistakes.yaml');
const URI = pathToFileURL(TEN_MISTAKES).toString();

interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: number; code: string; source: string; message: string }[];
}

function diagnosticsFor(uri: string, version?: number) {
  return (message: JsonRpcMessage) =>
    message.method === 'textDocument/publishDiagnostics' &&
    (message.params as PublishedDiagnostics).uri === uri &&
    (version === undefined || (message.params as PublishedDiagnostics).version === version);
}

const SEVERITY_NAMES = ['', 'error', 'warning', 'info'];

describe('et serve --stdio (protocol)', function () {
  let server: LspProcess;

  beforeEach(() => {
    server = LspProcess.start();
  });
  afterEach(() => server.kill());

  it('answers initialize with its capabilities and version, then reports ready', async () => {
    const result = await server.initialize();
    assert.equal(result.serverInfo?.name, 'electrictown');
    assert.ok(result.capabilities.completionProvider);
    assert.equal(result.capabilities.hoverProvider, true);
    assert.equal(result.capabilities.definitionProvider, true);
    const status = await server.waitFor((message) => message.method === 'electrictown/server/status');
    assert.deepEqual(status.params, { health: 'ok', message: 'ready', version: result.serverInfo?.version });
  });

  it('publishes every problem of a broken config, at the fixture’s ranges', async () => {
    await server.initialize();
    server.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: readFileSync(TEN_MISTAKES, 'utf8') } });
    const published = (await server.waitFor(diagnosticsFor(URI))).params as PublishedDiagnostics;
    const asLines = published.diagnostics.map(
      (diagnostic) =>
        `${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1}-${diagnostic.range.end.line + 1}:${diagnostic.range.end.character + 1} ${SEVERITY_NAMES[diagnostic.severity]} [${diagnostic.code}] ${diagnostic.message}`,
    );
    assert.deepEqual(asLines, expectedIssueLines(TEN_MISTAKES));
    assert.ok(published.diagnostics.every((diagnostic) => diagnostic.source === 'electrictown'));
  });

  it('re-checks after edits and clears diagnostics when the document closes', async () => {
    await server.initialize();
    server.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: 'providers:\n  p:\n    type: olama\n' } });
    assert.equal(((await server.waitFor(diagnosticsFor(URI, 1))).params as PublishedDiagnostics).diagnostics.length, 1);
    for (let version = 2; version <= 6; version++) {
      server.notify('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [{ range: { start: { line: 2, character: 11 }, end: { line: 2, character: 11 } }, text: version === 6 ? 'l' : '' }] });
    }
    // Debounced: only the last version of a burst of edits is checked.
    const fixed = (await server.waitFor(diagnosticsFor(URI, 6))).params as PublishedDiagnostics;
    assert.deepEqual(fixed.diagnostics, []);
    assert.equal(server.messages.filter(diagnosticsFor(URI)).length, 2);
    server.notify('textDocument/didClose', { textDocument: { uri: URI } });
    const cleared = server.messages.length;
    const closed = await server.waitFor((message) => server.messages.indexOf(message) >= cleared && diagnosticsFor(URI)(message));
    assert.deepEqual((closed.params as PublishedDiagnostics).diagnostics, []);
  });

  it('completes aliases, hovers and goes to definitions', async () => {
    await server.initialize();
    const text = 'providers:\n  local:\n    type: ollama\nmodels:\n  fast:\n    provider: local\n    model: llama3.2\nroles:\n  mayor:\n    model: \n';
    server.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version: 1, text } });
    const completion = await server.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 9, character: 11 } });
    assert.deepEqual(completion.map((item) => item.label), ['fast']);
    const hover = await server.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 4, character: 3 } });
    assert.match(hover.contents.value, /\*\*fast\*\* — model alias/);
    const definition = await server.request<{ uri: string; range: { start: { line: number } } }>('textDocument/definition', { textDocument: { uri: URI }, position: { line: 5, character: 15 } });
    assert.deepEqual([definition.uri, definition.range.start.line], [URI, 1]);
  });

  it('answers malformed JSON with a parse error and an invalid message with Invalid Request, and keeps serving', async () => {
    await server.initialize();
    server.sendRaw('{"jsonrpc": "2.0", "id": 41, "method": ');
    const parseError = await server.waitFor((message) => message.error?.code === -32700);
    assert.equal(parseError.id, null);
    server.sendRaw(JSON.stringify({ jsonrpc: '2.0', id: 42, nonsense: true }));
    const invalid = await server.waitFor((message) => message.error?.code === -32600);
    assert.equal(invalid.id, 42);
    server.sendRaw(JSON.stringify([1, 2, 3]));
    await server.waitFor((message) => message.error?.code === -32600 && message.id === null);
    const hover = await server.request('textDocument/hover', { textDocument: { uri: 'file:///not-open.yaml' }, position: { line: 0, character: 0 } });
    assert.equal(hover, null);
    assert.equal(await server.shutdown(), 0);
  });

  it('exits when its client closes stdin without saying exit', async () => {
    await server.initialize();
    server.child.stdin.end();
    assert.equal(await server.exited, 0);
  });

  it('answers a broken header with a parse error and exits rather than hang', async () => {
    await server.initialize();
    server.child.stdin.write('Content-Type: nothing-else\r\n\r\n{}');
    const reply = await server.waitFor((message) => message.error?.code === -32700);
    assert.match(reply.error?.message ?? '', /Content-Length/);
    assert.equal(await server.exited, 1);
    assert.match(server.stderr, /unrecoverable framing error/);
  });

  it('survives hostile documents and keeps serving', async () => {
    await server.initialize();
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) bomb.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(9).fill(`*${String.fromCharCode(96 + level)}`).join(',')}]`);
    const documents = { bomb: bomb.join('\n'), deep: '['.repeat(50_000), huge: '#'.repeat(6 * 1024 * 1024), binary: 'a\u0000b' };
    for (const [name, text] of Object.entries(documents)) {
      server.notify('textDocument/didOpen', { textDocument: { uri: `file:///${name}.yaml`, languageId: 'yaml', version: 1, text } });
    }
    for (const name of Object.keys(documents)) {
      const published = (await server.waitFor(diagnosticsFor(`file:///${name}.yaml`))).params as PublishedDiagnostics;
      assert.ok(published.diagnostics.some((diagnostic) => diagnostic.severity === 1), name);
    }
    assert.equal(await server.shutdown(), 0);
  });
});

describe('et (the built bundle)', () => {
  it('runs as an executable, and stops quietly when its reader closes the pipe early', async () => {
    const { spawnSync } = await import('node:child_process');
    const { SERVER_BUNDLE } = await import('../helpers/lsp-process');
    const version = spawnSync(SERVER_BUNDLE, ['version'], { encoding: 'utf8' });
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^et \d+\.\d+\.\d+/);
    // More output than a pipe buffers, so the writer is still writing when `head` has gone.
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const noisy = path.join(mkdtempSync(path.join(tmpdir(), 'et-pipe-')), 'electrictown.yaml');
    writeFileSync(noisy, `providers:\n  p:\n    type: ollama\n${Array.from({ length: 3000 }, (_, index) => `unknown_${index}: 1\n`).join('')}`);
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${SERVER_BUNDLE}" config check "${noisy}" | head -1`], { encoding: 'utf8' });
    assert.equal(piped.stderr, '');
    assert.match(piped.stdout, /electrictown\.yaml:4:1: warning: unknown key "unknown_0" at the top level \[unknown-key\]\n$/);
  });

  it('loads its HTTP client, kept in a file of its own, when a command calls a provider', async () => {
    const { FakeOllama } = await import('../helpers/fake-ollama');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { spawn } = await import('node:child_process');
    const { SERVER_BUNDLE } = await import('../helpers/lsp-process');
    const ollama = await FakeOllama.start();
    try {
      const config = path.join(mkdtempSync(path.join(tmpdir(), 'et-bundle-')), 'electrictown.yaml');
      writeFileSync(config, `providers:\n  local: { type: ollama, base_url: "${ollama.origin}" }\nmodels:\n  llama: { provider: local, model: llama3.2 }\nroles:\n  polecat: { model: llama }\n`);
      ollama.reply({ kind: 'answer', text: 'Seven.', promptEvalCount: 9, evalCount: 2 });
      // Asynchronously: the fake server lives in this process.
      const child = spawn(process.execPath, [SERVER_BUNDLE, '--config', config, 'ask', 'Name a prime.']);
      let stdout = '';
      child.stdout.on('data', (data) => (stdout += String(data)));
      const status = await new Promise((resolve) => child.on('exit', resolve));
      assert.deepEqual([status, stdout], [0, 'Seven.\n']);
    } finally {
      await ollama.stop();
    }
  });
});
