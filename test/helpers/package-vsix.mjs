// The .vsix the editor-level tests install: the one `npm test` packaged once for all of them
// (ELECTRICTOWN_VSIX), else packaged now with vsce (offline) into `directory`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function packagedVsix(repository, directory) {
  if (process.env.ELECTRICTOWN_VSIX) return process.env.ELECTRICTOWN_VSIX;
  const { version } = JSON.parse(readFileSync(path.join(repository, 'package.json'), 'utf8'));
  const vsix = path.join(directory, `electrictown-${version}.vsix`);
  console.log(`packaging ${path.basename(vsix)}`);
  execFileSync(process.execPath, [path.join(repository, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--out', vsix], { cwd: repository, stdio: ['ignore', 'ignore', 'inherit'] });
  return vsix;
}
