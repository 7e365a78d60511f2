import assert from 'node:assert/strict';
import { discoverConfig } from '../../../server/src/config/discover';
import { findEnvReferences, resolveEnv } from '../../../server/src/config/env';
import { LineIndex } from '../../../server/src/config/line-index';
import { closestName, editDistance } from '../../../server/src/config/suggest';

describe('env references', () => {
  it('finds $VAR and ${VAR}, and resolves them, reporting the unset ones once', () => {
    assert.deepEqual(findEnvReferences('Bearer ${A_1}-$B').map((reference) => reference.text), ['${A_1}', '$B']);
    assert.deepEqual(resolveEnv('$A:${B}/$A', { A: 'x' }), { value: 'x:/x', unset: ['B'] });
    assert.deepEqual(resolveEnv('no refs $1 here', {}), { value: 'no refs $1 here', unset: [] });
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('modle', 'model'), 1);
    assert.equal(editDistance('', 'abc'), 3);
  });
  it('suggests only names close enough to be typos', () => {
    assert.equal(closestName('olama', ['openai', 'ollama', 'gemini']), 'ollama');
    assert.equal(closestName('FAST', ['fast', 'slow']), 'fast');
    assert.equal(closestName('zzzzzz', ['fast', 'slow']), undefined);
  });
});

describe('LineIndex', () => {
  it('maps offsets to positions and back, clamping at the ends', () => {
    const lines = new LineIndex('ab\ncd\n\nlast');
    assert.deepEqual(lines.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(lines.positionAt(4), { line: 1, character: 1 });
    assert.deepEqual(lines.positionAt(7), { line: 3, character: 0 });
    assert.deepEqual(lines.positionAt(999), { line: 3, character: 4 });
    assert.equal(lines.offsetAt({ line: 1, character: 1 }), 4);
    assert.equal(lines.offsetAt({ line: 0, character: 99 }), 2);
    assert.equal(lines.offsetAt({ line: 9, character: 0 }), 11);
  });
  it('ends lines at \\n, \\r\\n and a lone \\r, as LSP does', () => {
    const lines = new LineIndex('a\rbc\r\nd\ne');
    assert.deepEqual([2, 3, 6, 8].map((offset) => lines.positionAt(offset)), [
      { line: 1, character: 0 },
      { line: 1, character: 1 },
      { line: 2, character: 0 },
      { line: 3, character: 0 },
    ]);
    assert.equal(lines.offsetAt({ line: 1, character: 99 }), 4);
  });
});

describe('config discovery', () => {
  const exists = (present: string[]) => (file: string) => present.includes(file);
  it('prefers --config, then ./electrictown.yaml, then $HOME', () => {
    assert.deepEqual(discoverConfig({ explicitPath: 'x.yaml', cwd: '/w', home: '/h', exists: exists(['/w/x.yaml', '/w/electrictown.yaml']) }), { found: true, path: '/w/x.yaml' });
    assert.deepEqual(discoverConfig({ explicitPath: undefined, cwd: '/w', home: '/h', exists: exists(['/w/electrictown.yaml', '/h/electrictown.yaml']) }), { found: true, path: '/w/electrictown.yaml' });
    assert.deepEqual(discoverConfig({ explicitPath: undefined, cwd: '/w', home: '/h', exists: exists(['/h/electrictown.yaml']) }), { found: true, path: '/h/electrictown.yaml' });
  });
  it('names every path it tried', () => {
    assert.deepEqual(discoverConfig({ explicitPath: undefined, cwd: '/w', home: '/h', exists: exists([]) }), { found: false, tried: ['/w/electrictown.yaml', '/h/electrictown.yaml'] });
    assert.deepEqual(discoverConfig({ explicitPath: '/abs.yaml', cwd: '/w', home: '/h', exists: exists([]) }), { found: false, tried: ['/abs.yaml'] });
  });
});

describe('unset variable ranges', () => {
  it('point at the variable itself, not at a longer one that starts the same', async () => {
    const { analyzeConfig } = await import('../../../server/src/config/analyze');
    const text = 'providers:\n  p:\n    type: openai\n    base_url: https://$HOST_NAME/$HOST/v1\n';
    const [issue] = analyzeConfig(text, { HOST_NAME: 'example.com' }).issues;
    assert.equal(text.slice(issue.start, issue.end), '$HOST');
    assert.equal(issue.start, text.indexOf('/$HOST/') + 1);
  });
});

describe('positions always inside the document', () => {
  it('brings offsets past either end, not numbers, and inside a line break to the nearest position', () => {
    const lines = new LineIndex('ab\r\ncd\n');
    assert.deepEqual(lines.positionAt(3), { line: 0, character: 2 }, 'between \\r and \\n: the end of line 0');
    assert.deepEqual(lines.positionAt(2), { line: 0, character: 2 });
    assert.deepEqual(lines.positionAt(1e20), { line: 2, character: 0 });
    assert.deepEqual(lines.positionAt(-5), { line: 0, character: 0 });
    assert.deepEqual(lines.positionAt(Number.NaN), { line: 0, character: 0 });
    assert.deepEqual(lines.positionAt(5), { line: 1, character: 1 });
  });
});
