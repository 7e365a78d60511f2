// Create Config's `.gitignore` line for the log folder: found in the starter, added once, kept out when
// the folder is outside the workspace.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ignoreLine, logDirOf, withIgnoreLine } from '../../../client/src/commands/log-folder-ignore';

describe('log folder in .gitignore', () => {
  it('reads the starter config’s log_dir, which is inside the workspace', () => {
    const starter = readFileSync(path.join(__dirname, '..', '..', '..', 'electrictown.yaml'), 'utf8');
    const logDir = logDirOf(starter);
    assert.equal(logDir, '.electrictown');
    assert.equal(ignoreLine(logDir!), '/.electrictown/');
    assert.equal(logDirOf('defaults:\n  log_dir: "my logs" # here\n'), 'my logs');
    assert.equal(logDirOf('defaults:\n  model: a\n'), undefined);
  });

  it('has no line for a folder outside the workspace', () => {
    for (const outside of ['/var/log/et', '~/et-logs', '../logs', 'a/../../b', 'C:\\logs', '.']) assert.equal(ignoreLine(outside), undefined, outside);
    assert.equal(ignoreLine('./runs/et/'), '/runs/et/');
  });

  it('adds the line once, keeping the file’s line endings, and creates the text for a new file', () => {
    assert.equal(withIgnoreLine(undefined, '/.electrictown/'), '/.electrictown/\n');
    assert.equal(withIgnoreLine('node_modules/\n', '/.electrictown/'), 'node_modules/\n/.electrictown/\n');
    assert.equal(withIgnoreLine('node_modules/', '/.electrictown/'), 'node_modules/\n/.electrictown/\n');
    assert.equal(withIgnoreLine('out\r\n', '/.electrictown/'), 'out\r\n/.electrictown/\r\n');
    for (const present of ['.electrictown', '.electrictown/', '/.electrictown', '  /.electrictown/**  ']) assert.equal(withIgnoreLine(`out\n${present}\n`, '/.electrictown/'), undefined, present);
    // A comment that names it ignores nothing.
    assert.equal(withIgnoreLine('# .electrictown\n', '/.electrictown/'), '# .electrictown\n/.electrictown/\n');
  });
});
