// Builds every bundle: the extension (vscode external), the server + `et` CLI (one self-contained file
// with a shebang), and with --tests the in-editor test suite.
//   node esbuild.mjs            build (minified, with source maps)
//   node esbuild.mjs --watch    rebuild on change (unminified)
//   node esbuild.mjs --tests    also build test/integration (and its forked stand-in) and test/vsix into out/test
//   node esbuild.mjs --standalone   only the server as one file for a standalone `et`, undici, the
//                                   tree-sitter glue and `et mcp` inlined (out/standalone/et.cjs; see
//                                   scripts/standalone/)
import * as esbuild from 'esbuild';
import { chmod, copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const watch = process.argv.includes('--watch');
const withTests = process.argv.includes('--tests');
const standalone = process.argv.includes('--standalone');
const { version } = JSON.parse(await readFile(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: !watch,
  logLevel: 'info',
  // The example config doubles as the starter that "Create Config" writes.
  loader: { '.yaml': 'text' },
  define: { __ET_VERSION__: JSON.stringify(version) },
};

// The HTTP client is half of the server's code and only model calls need it: it goes in a file of its
// own, required on first use, so `et version`, `et config check` and the language server's start do
// not pay to parse it.
const UNDICI_FILE = './undici.js';
const undiciApart = {
  name: 'undici-apart',
  setup(build) {
    build.onResolve({ filter: /^undici$/ }, () => ({ path: UNDICI_FILE, external: true }));
  },
};

// `et mcp`'s server — the MCP SDK and the JSON-schema validator it brings, a quarter of the server's
// code — is a file of its own as well, required only by `et mcp`, so the other commands and the
// language server do not pay to parse it. It shares no state with cli.js: `serveMcp` is all it is given.
const MCP_FILE = './mcp.js';
const mcpApart = {
  name: 'mcp-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/mcp\/mcp-server$/ }, () => ({ path: MCP_FILE, external: true }));
  },
};

// The project map's parser, web-tree-sitter, runs only when a project is mapped: its JavaScript is a
// file of its own too, and its WebAssembly (the runtime and the grammars server/src/project-map/
// grammars.json names) is copied beside it, into server/out/tree-sitter/. See
// server/src/project-map/wasm-bytes.ts.
const TREE_SITTER_PACKAGE = '@vscode/tree-sitter-wasm';
const TREE_SITTER_DIRECTORY = 'server/out/tree-sitter';
const treeSitterApart = {
  name: 'tree-sitter-apart',
  setup(build) {
    build.onResolve({ filter: /^@vscode\/tree-sitter-wasm$/ }, () => ({ path: './tree-sitter/tree-sitter.js', external: true }));
  },
};
// web-tree-sitter reaches node:module through `await import('module')`, which a Node single executable
// of an older Node may not serve (its require serves built-in modules); a require at the file's top
// does the same everywhere. The build fails if the glue changes so that this no longer applies.
const treeSitterRequiresModule = {
  name: 'tree-sitter-requires-module',
  setup(build) {
    build.onLoad({ filter: /tree-sitter-wasm[\\/]wasm[\\/]tree-sitter\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const patched = source.replace('await import("module")', '__nodeModule');
      if (patched === source) return { errors: [{ text: `${path} no longer has \`await import("module")\`: see treeSitterRequiresModule in esbuild.mjs` }] };
      return { contents: `var __nodeModule = require("module");\n${patched}`, loader: 'js' };
    });
  },
};
const GRAMMARS = JSON.parse(await readFile(new URL('./server/src/project-map/grammars.json', import.meta.url), 'utf8'));
const TREE_SITTER_WASM = [GRAMMARS.runtime, ...Object.values(GRAMMARS.grammars)];
const treeSitterWasmSource = (file) => `node_modules/${TREE_SITTER_PACKAGE}/wasm/${file}`;

async function copyTreeSitterWasm() {
  await mkdir(TREE_SITTER_DIRECTORY, { recursive: true });
  await Promise.all(TREE_SITTER_WASM.map((file) => copyFile(treeSitterWasmSource(file), `${TREE_SITTER_DIRECTORY}/${file}`)));
}

/** Each file gzipped and in base64, for a standalone `et` (nothing ships beside it). */
async function embeddedTreeSitterWasm() {
  const files = {};
  for (const file of TREE_SITTER_WASM) files[file] = gzipSync(await readFile(treeSitterWasmSource(file)), { level: 9 }).toString('base64');
  return files;
}

// The extension's activation loads client/out/extension.js only; the language client (the server
// connection) is its own file, required when the server first starts. See
// client/src/connection/server-connection.ts.
const CONNECTION_FILE = './connection.js';
const connectionApart = {
  name: 'connection-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/connection\/connection$/ }, () => ({ path: CONNECTION_FILE, external: true }));
  },
};
// `import * as vscode from 'vscode'` in each module becomes, in a CommonJS bundle, a copy of the whole
// API object (hundreds of properties, each a getter) per importing module: about half of the
// extension's load time. One re-exporting module makes that one copy for all of them.
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, ({ namespace }) => (namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

// Packages that must not load at activation. A value import of one from the extension's modules (a
// protocol message type, say) would bring all of them back: the build fails and names the chain.
const NOT_AT_ACTIVATION = /node_modules\/(vscode-languageclient|vscode-languageserver-protocol|vscode-jsonrpc|vscode-languageserver-types)\//;
const activationGuard = {
  name: 'activation-guard',
  setup(build) {
    build.onEnd(({ metafile }) => {
      const chain = metafile && importChain(metafile.inputs, 'client/src/extension.ts', (file) => NOT_AT_ACTIVATION.test(file));
      if (!chain) return;
      return { errors: [{ text: `the extension loads ${chain.at(-1)} at activation: ${chain.join(' → ')}. Import its types only (\`import type\`), or reach it through client/src/connection/.` }] };
    });
  },
};

/** The shortest import chain from `entry` to a file that `matches`, or undefined. */
function importChain(inputs, entry, matches) {
  const parents = new Map([[entry, undefined]]);
  for (const queue = [entry]; queue.length > 0; ) {
    const file = queue.shift();
    if (matches(file)) {
      const chain = [];
      for (let step = file; step !== undefined; step = parents.get(step)) chain.unshift(step);
      return chain;
    }
    for (const { path } of inputs[file]?.imports ?? []) {
      if (!parents.has(path)) {
        parents.set(path, file);
        queue.push(path);
      }
    }
  }
  return undefined;
}

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', metafile: true, plugins: [vscodeOnce, connectionApart, activationGuard], supported: { 'dynamic-import': false } },
  { ...common, entryPoints: ['client/src/connection/connection.ts'], outfile: 'client/out/connection.js', external: ['vscode'] },
  // No dynamic import(): `import('./mcp.js')` would load mcp.js as ES module, lexing it whole (~140 ms)
  // for its exports; a require reads it as what it is.
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [undiciApart, treeSitterApart, mcpApart], supported: { 'dynamic-import': false } },
  { ...common, entryPoints: ['server/src/mcp/mcp-bundle.ts'], outfile: 'server/out/mcp.js', plugins: [undiciApart, treeSitterApart] },
  { ...common, entryPoints: ['undici'], outfile: 'server/out/undici.js' },
  { ...common, entryPoints: [TREE_SITTER_PACKAGE], outfile: `${TREE_SITTER_DIRECTORY}/tree-sitter.js`, plugins: [treeSitterRequiresModule] },
];
// A standalone `et` (a Node single executable, or a launcher beside it) is one file: undici and
// web-tree-sitter inlined, and the roles' prompts and the tree-sitter WebAssembly compiled in
// (server/src/prompts.ts reads __ET_PROMPTS__, server/src/project-map/wasm-bytes.ts
// __ET_TREE_SITTER_WASM__), since no folder ships beside it.
async function standaloneBuild() {
  const prompts = {};
  for (const file of (await readdir('server/prompts')).filter((name) => name.endsWith('.md')).sort()) {
    prompts[file.slice(0, -'.md'.length)] = await readFile(`server/prompts/${file}`, 'utf8');
  }
  return {
    ...common,
    sourcemap: false,
    minify: true,
    entryPoints: ['server/src/cli.ts'],
    outfile: 'out/standalone/et.cjs',
    define: { ...common.define, __ET_PROMPTS__: JSON.stringify(prompts), __ET_TREE_SITTER_WASM__: JSON.stringify(await embeddedTreeSitterWasm()) },
    plugins: [treeSitterRequiresModule],
  };
}
if (standalone) builds.splice(0, builds.length, await standaloneBuild());

if (withTests) {
  builds.push({
    ...common,
    minify: false,
    entryPoints: ['test/integration/index.ts'],
    outfile: 'out/test/integration/index.js',
    external: ['vscode', 'mocha'],
  });
  // The in-editor benchmarks' entry (bench/editor-view.ts runs it), apart from the suite.
  builds.push({ ...common, minify: false, entryPoints: ['test/integration/bench-index.ts'], outfile: 'out/test/integration/bench-index.js', external: ['vscode', 'mocha'] });
  // The stand-in provider the 64-subtask test forks, so it runs outside the extension host.
  builds.push({ ...common, minify: false, entryPoints: ['test/integration/parts-stand-in.ts'], outfile: 'out/test/integration/parts-stand-in.js' });
  builds.push({
    ...common,
    minify: false,
    entryPoints: ['test/vsix/index.ts'],
    outfile: 'out/test/vsix/index.js',
    external: ['vscode', 'mocha'],
  });
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  if (!standalone) await chmod('server/out/cli.js', 0o755);
}
if (!standalone) await copyTreeSitterWasm();
