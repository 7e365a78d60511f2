// The checks `npm run verify:standalone` makes on one `et` command. Each throws an Error saying what
// failed; the fake provider speaks OpenAI's real wire format (test/helpers/fake-openai.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { ProviderModels } from '../../server/src/protocol';
import { CONFIG_FIXTURES, expectedIssueLines } from '../../test/helpers/config-fixtures';
import { fileBlock } from '../../test/helpers/fake-team';
import { greeterConfig } from '../../test/helpers/greeter-scenario';
import { LspProcess, type JsonRpcMessage } from '../../test/helpers/lsp-process';

const run = promisify(execFile);

/** Under qemu a start takes seconds; every wait allows for it. */
const TIMEOUT_MS = 120_000;
export const FAKE_KEY = 'fake-openai-key-0123456789';

export interface Setup {
  command: string[];
  /** The whole environment `et` gets. */
  env: NodeJS.ProcessEnv;
  /** A fresh folder with electrictown.yaml pointing at the fake provider. */
  directory: string;
}

export function writeConfig(directory: string, fakeBaseUrl: string): string {
  const config = path.join(directory, 'electrictown.yaml');
  writeFileSync(config, greeterConfig(fakeBaseUrl));
  return config;
}

async function et(setup: Setup, args: string[]): Promise<string> {
  const [file, ...rest] = setup.command;
  const { stdout } = await run(file, [...rest, ...args], { env: setup.env, cwd: setup.directory, timeout: TIMEOUT_MS });
  return stdout;
}

/** `et version` three times: checks the answer, returns the median wall time in ms. */
export async function checkVersion(setup: Setup, version: string): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const started = performance.now();
    const stdout = await et(setup, ['version']);
    times.push(Math.round(performance.now() - started));
    assert.equal(stdout, `et ${version}\n`, 'et version');
  }
  return times.sort((a, b) => a - b)[1];
}

const TEN_MISTAKES = path.join(CONFIG_FIXTURES, 'invalid', 'ten-mistakes.yaml');
const SEVERITY_NAMES = ['', 'error', 'warning', 'info'];

interface Published {
  uri: string;
  diagnostics: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; severity: number; code: string; message: string }[];
}

/** The fixture's format: LINE:COL-LINE:COL severity [code] message, 1-based. */
function asLine(diagnostic: Published['diagnostics'][number]): string {
  const { start, end } = diagnostic.range;
  return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1} ${SEVERITY_NAMES[diagnostic.severity]} [${diagnostic.code}] ${diagnostic.message}`;
}

/**
 * `et serve --stdio`, exactly as the extension starts the `et` named by electrictown.server.path
 * (vscode-languageclient runs an executable with args ['serve'] and appends --stdio): initialize, a
 * broken config's diagnostics at the fixture's ranges, electrictown/models against the fake provider,
 * shutdown and exit with 0.
 */
export async function checkServe(setup: Setup, version: string, config: string): Promise<void> {
  const server = LspProcess.command(setup.command, setup.env);
  try {
    const initialized = await server.initialize();
    assert.deepEqual(initialized.serverInfo, { name: 'electrictown', version }, 'initialize: serverInfo');

    const uri = pathToFileURL(TEN_MISTAKES).href;
    server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(TEN_MISTAKES, 'utf8') } });
    const isDiagnostics = (message: JsonRpcMessage) => message.method === 'textDocument/publishDiagnostics' && (message.params as Published).uri === uri;
    const published = (await server.waitFor(isDiagnostics, TIMEOUT_MS)).params as Published;
    assert.deepEqual(published.diagnostics.map(asLine), expectedIssueLines(TEN_MISTAKES), 'diagnostics of ten-mistakes.yaml');

    const models = await server.request<ProviderModels[]>('electrictown/models', { configPath: config }, TIMEOUT_MS);
    assert.deepEqual(models, [{ provider: 'openai', type: 'openai', models: ['gpt-4.1-mini'] }], 'electrictown/models');

    await server.request('shutdown', null, TIMEOUT_MS);
    server.notify('exit', null);
    assert.equal(await server.exited, 0, 'exit code after shutdown and exit');
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message.split('\n')[0] : String(error)}${server.stderr ? ` (stderr: ${server.stderr.trim().slice(0, 300)})` : ''}`);
  } finally {
    server.kill();
  }
}

/** The fake's answer to a session turn: a file to write. */
export function sessionAnswer(): string {
  return `Here.\n\n${fileBlock('hello.txt', 'hi\n')}`;
}

/** `et session spawn`: the turn runs in a detached `et` that this `et` starts itself (its `self`). */
export async function checkSession(setup: Setup, config: string): Promise<void> {
  const id = (await et(setup, ['--config', config, 'session', 'spawn', '--dir', 'work', 'Write hello.txt'])).trim();
  assert.match(id, /^[0-9a-f]{10}$/, 'et session spawn: session id');
  const output = await et(setup, ['--config', config, 'session', 'attach', id, '--until-idle']);
  assert.match(output, /\[wrote hello\.txt\]/, 'et session attach: the turn wrote hello.txt');
  const written = path.join(setup.directory, 'work', 'hello.txt');
  assert.ok(existsSync(written) && readFileSync(written, 'utf8') === 'hi\n', 'the session turn wrote work/hello.txt');
}
