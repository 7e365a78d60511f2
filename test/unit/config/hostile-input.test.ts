// Hostile input ends in a clear diagnostic within the test timeout, never in an exception.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { decodeConfigBytes } from '../../../server/src/config/read-config-file';

function codes(text: string): string[] {
  return analyzeConfig(text, {}).issues.map((issue) => issue.code);
}

describe('hostile config input', () => {
  it('refuses a 5 MB config without parsing it', () => {
    const line = 'providers:\n' + '  p:\n    type: ollama\n'.repeat(1);
    const huge = line + '# padding\n'.repeat(Math.ceil((5 * 1024 * 1024) / 10));
    const analysis = analyzeConfig(huge, {});
    assert.deepEqual(analysis.issues.map((issue) => issue.code), ['too-large']);
    assert.match(analysis.issues[0].message, /^config is too large to be read \(\d{4} KB; the limit is 256 KB\)$/);
  });

  it('reports binary content', () => {
    const garbage = Array.from({ length: 4096 }, (_, index) => String.fromCharCode((index * 7919) % 256)).join('');
    assert.deepEqual(codes(garbage), ['not-text']);
  });

  it('reports a file that is not UTF-8', () => {
    const latin1 = Uint8Array.from([0x70, 0x3a, 0x20, 0xe9, 0xe8, 0x0a]);
    const decoded = decodeConfigBytes(latin1);
    assert.equal(decoded.ok, false);
    assert.equal(decoded.ok ? '' : decoded.issue.code, 'not-utf8');
    assert.equal(decodeConfigBytes(new TextEncoder().encode('providers: {}\n')).ok, true);
  });

  it('stops a YAML alias bomb', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const issues = analyzeConfig(levels.join('\n'), {}).issues;
    assert.equal(issues.length, 1);
    assert.match(issues[0].message, /alias bomb/);
  });

  it('refuses deep nesting, flow or block, the same way every time', () => {
    // `- - - x` nests lists on one line: it once reached the YAML library's stack limit, reported differently run by run.
    for (const deep of ['['.repeat(20000) + ']'.repeat(20000), '{a: '.repeat(5000) + '1' + '}'.repeat(5000), Array.from({ length: 300 }, (_, depth) => `${' '.repeat(depth)}k:`).join('\n'), `${'- '.repeat(5000)}x\n`, `providers:\n${'  - '.repeat(70)}x\n`]) {
      assert.deepEqual(codes(deep), ['too-deep']);
    }
    assert.deepEqual(codes(`providers:\n  p:\n    type: ollama\n    headers: ${'['.repeat(10)}${']'.repeat(10)}\n`), ['invalid-type']);
    // Blank lines of spaces are not nesting.
    assert.deepEqual(codes(`providers:\n  p:\n    type: ollama\n${' '.repeat(300)}\n`), []);
  });

  it('places a problem at the very end of the text on its last character, not past it (found by the fuzzer)', () => {
    for (const text of ['providers: [', 'a: "', 'providers:\n  p: {type: ollama', '[']) {
      for (const issue of analyzeConfig(text, {}).issues) assert.ok(issue.start >= 0 && issue.start <= issue.end && issue.end <= text.length, `${JSON.stringify(text)}: ${JSON.stringify(issue)}`);
    }
    const [unclosed] = analyzeConfig('providers: [', {}).issues.filter((issue) => issue.code === 'yaml-syntax');
    assert.deepEqual([unclosed.start, unclosed.end], [11, 12]);
  });

  it('handles every prefix of a config, as when it is typed key by key', () => {
    const text = 'providers:\n  local:\n    type: ollama\nmodels:\n  fast:\n    provider: local\n    model: llama3.2\nroles:\n  mayor:\n    model: fast\n    fallbacks: [fast]\n';
    for (let length = 0; length <= text.length; length++) analyzeConfig(text.slice(0, length), {});
  });

  it('does not trip over names that are Object properties', () => {
    const text = 'providers:\n  constructor:\n    type: constructor\n    base_url: http://localhost\n  toString:\n    type: __proto__\nroles:\n  constructor:\n    model: toString/x\n  hasOwnProperty: {}\n';
    const issues = analyzeConfig(text, {}).issues;
    // `constructor` is reserved (see hostile-names.test.ts); `toString` and `hasOwnProperty` are names like any other.
    assert.deepEqual(issues.map((issue) => issue.code), ['reserved-name', 'unknown-provider-type', 'reserved-name']);
    assert.match(issues[1].message, /^unknown provider type "__proto__"/);
  });

  it('does not spend time or memory suggesting names for very long ones', () => {
    const long = 'a'.repeat(30_000);
    // An explicit key (`? …`): implicit keys are limited to 1,024 characters.
    const text = `providers:\n  ? "${long}"\n  : {type: ollama}\nmodels:\n  m:\n    provider: "${long}b"\n    model: x\ndefaults:\n  model: m\n`;
    const issues = analyzeConfig(text, {}).issues;
    assert.deepEqual(issues.map((issue) => issue.code), ['unknown-provider']);
    assert.ok(!issues[0].message.includes('did you mean'));
  });
});
