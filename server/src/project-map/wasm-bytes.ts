// Where tree-sitter's WebAssembly comes from, in each form the server takes:
//   the sources (tsx, mocha)  node_modules/@vscode/tree-sitter-wasm/wasm/
//   server/out/cli.js         server/out/tree-sitter/, where esbuild.mjs copies the files this map uses
//                             (and the .vsix ships them)
//   a standalone et.cjs       compiled in, as nothing ships beside it: `node esbuild.mjs --standalone`
//                             defines __ET_TREE_SITTER_WASM__, each file gzipped (5.4 MB of C++ grammar
//                             is 0.4 MB) and in base64
// Nothing is ever fetched: web-tree-sitter gets the bytes (wasmBinary, Language.load(Uint8Array)).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

declare const __ET_TREE_SITTER_WASM__: Readonly<Record<string, string>> | undefined;
const EMBEDDED: Readonly<Record<string, string>> | undefined = typeof __ET_TREE_SITTER_WASM__ === 'object' ? __ET_TREE_SITTER_WASM__ : undefined;

export function wasmBytes(file: string): Uint8Array {
  if (EMBEDDED) {
    const packed = EMBEDDED[file];
    if (packed === undefined) throw new Error(`this et was built without ${file}`);
    return gunzipSync(Buffer.from(packed, 'base64'));
  }
  return readFileSync(path.join(wasmDirectory(), file));
}

/** A name, not a literal: bundles never take this path, and esbuild should not try to resolve it. */
const PACKAGE = '@vscode/tree-sitter-wasm';
let directory: string | undefined;

function wasmDirectory(): string {
  if (directory === undefined) {
    // Beside the bundle (server/out/cli.js → server/out/tree-sitter/); from the sources, the package.
    const beside = path.join(__dirname, 'tree-sitter');
    directory = existsSync(beside) ? beside : path.dirname(require.resolve(PACKAGE));
  }
  return directory;
}
