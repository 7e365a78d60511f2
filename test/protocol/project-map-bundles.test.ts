// The project map's parser as it ships: from server/out/ (the .vsix's server, with the WebAssembly
// beside it) and from the standalone et.cjs (the WebAssembly compiled in). Each bundle is copied
// alone into an empty folder, where no node_modules can stand in for what it should carry.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import GRAMMAR_FILES from '../../server/src/project-map/grammars.json';
import type { ProjectIndex } from '../../server/src/project-map';
import * as samples from '../fixtures/project-map/samples';
import { writeProject } from '../helpers/temp-project';

const ROOT = path.join(__dirname, '..', '..');
const run = promisify(execFile);

/** One file per language, and what each must yield. */
const PROJECT = {
  'handler.go': samples.GO_PROJECT['handler.go'],
  'server.ts': samples.TYPESCRIPT_FILE,
  'greeting.tsx': samples.TSX_FILE,
  'config.cjs': samples.JAVASCRIPT_FILE,
  'items.py': samples.PYTHON_FILE,
  'store.rs': samples.RUST_FILE,
  'list.c': samples.C_FILE,
  'shapes.cpp': samples.CPP_FILE,
  'ItemService.java': samples.JAVA_FILE,
};
const EXPECTED: Record<string, string> = {
  'handler.go': 'CreateItem',
  'server.ts': 'createServer',
  'greeting.tsx': 'Greeting',
  'config.cjs': 'readConfig',
  'items.py': 'list_items',
  'store.rs': 'open',
  'list.c': 'count',
  'shapes.cpp': 'largest',
  'ItemService.java': 'ItemService',
};

async function mapWith(command: string[]): Promise<void> {
  const project = writeProject(PROJECT);
  const { stdout } = await run(process.execPath, [...command, 'map', '--root', project, '--json'], { cwd: tmpdir(), maxBuffer: 16 * 1024 * 1024 });
  const index = JSON.parse(stdout) as ProjectIndex;
  assert.equal(index.stats.parsed, Object.keys(PROJECT).length);
  for (const [file, name] of Object.entries(EXPECTED)) {
    const names = index.files.find((indexed) => indexed.path === file)?.definitions.map((definition) => definition.name) ?? [];
    assert.ok(names.includes(name), `${file}: ${names.join(', ')}`);
  }
}

describe('the project map in the bundles', function () {
  this.timeout(60_000);

  it('server/out/cli.js parses every language from the WebAssembly in server/out/tree-sitter/', async () => {
    const shipped = readdirSync(path.join(ROOT, 'server', 'out', 'tree-sitter')).filter((file) => !file.endsWith('.map')).sort();
    assert.deepEqual(shipped, [GRAMMAR_FILES.runtime, ...Object.values(GRAMMAR_FILES.grammars), 'tree-sitter.js'].sort());
    const copy = path.join(mkdtempSync(path.join(tmpdir(), 'et-bundle-')), 'out');
    cpSync(path.join(ROOT, 'server', 'out'), copy, { recursive: true });
    await mapWith([path.join(copy, 'cli.js')]);
  });

  it('the standalone et.cjs parses every language from the WebAssembly compiled into it', async () => {
    await run(process.execPath, ['esbuild.mjs', '--standalone'], { cwd: ROOT });
    const alone = path.join(mkdtempSync(path.join(tmpdir(), 'et-standalone-')), 'et.cjs');
    cpSync(path.join(ROOT, 'out', 'standalone', 'et.cjs'), alone);
    await mapWith([alone]);
  });
});
