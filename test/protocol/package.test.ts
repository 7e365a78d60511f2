// What `npm run package` puts in the .vsix: the bundles and what they read at run time, nothing else
// (`.vscodeignore` is an allowlist). Asked of vsce itself, offline.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import GRAMMAR_FILES from '../../server/src/project-map/grammars.json';

const ROOT = path.join(__dirname, '..', '..');

describe('the .vsix', () => {
  it('holds the bundles, the project map’s WebAssembly, the prompts, schemas, media, syntaxes, README, CHANGELOG and LICENSE only', async function () {
    this.timeout(60_000);
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT });
    const files = stdout.trim().split('\n').sort();
    const unexpected = files.filter((file) => !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|client\/out\/(extension|connection)\.js|server\/out\/(cli|undici|mcp)\.js|server\/out\/tree-sitter\/tree-sitter(-[\w-]+)?\.(js|wasm)|server\/prompts\/[\w-]+\.md|schemas\/[\w.-]+\.json|media\/(walkthrough\/)?[\w.-]+|syntaxes\/[\w.-]+\.json)$/.test(file));
    assert.deepEqual(unexpected, []);
    const treeSitter = ['tree-sitter.js', GRAMMAR_FILES.runtime, ...Object.values(GRAMMAR_FILES.grammars)].map((file) => `server/out/tree-sitter/${file}`);
    for (const needed of [...treeSitter, 'client/out/extension.js', 'client/out/connection.js', 'server/out/cli.js', 'server/out/undici.js', 'server/out/mcp.js', 'server/prompts/polecat.md', 'schemas/electrictown.schema.json', 'LICENSE', 'media/costs.js', 'media/costs.css', 'media/walkthrough/run.md']) assert.ok(files.includes(needed), needed);
  });
});
