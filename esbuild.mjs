// Builds every bundle: the extension (vscode external), the server + `et` CLI (one self-contained file
// with a shebang), and with --tests the in-editor test suite.
//   node esbuild.mjs            build (minified, with source maps)
//   node esbuild.mjs --watch    rebuild on change (unminified)
//   node esbuild.mjs --tests    also build test/integration and test/vsix into out/test
//   node esbuild.mjs --standalone   only the server as one file for a standalone `et`
//                                   (out/standalone/et.cjs; see scripts/standalone/)
import * as esbuild from 'esbuild';
import { chmod, readdir, readFile } from 'node:fs/promises';

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

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [undiciApart] },
  { ...common, entryPoints: ['undici'], outfile: 'server/out/undici.js' },
];
// A standalone `et` (a Node single executable, or a launcher beside it) is one file: undici inlined, and
// the roles' prompts compiled in (server/src/prompts.ts reads __ET_PROMPTS__), since no folder ships
// beside it.
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
    define: { ...common.define, __ET_PROMPTS__: JSON.stringify(prompts) },
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
