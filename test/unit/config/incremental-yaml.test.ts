// The incremental parse must give exactly what the full parse gives, edit after edit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { definitionAt, hoverAt } from '../../../server/src/language/navigation';
import { IncrementalYamlParser, splitSections } from '../../../server/src/config/incremental-yaml';
import { largeConfig } from '../../../bench/run';
import { CONFIG_FIXTURES, FIXTURE_ENVIRONMENT, fixtureNames } from '../../helpers/config-fixtures';

const EXAMPLE = readFileSync(path.join(__dirname, '..', '..', '..', 'electrictown.yaml'), 'utf8');
const FIXTURES = (['valid', 'invalid'] as const).flatMap((kind) => fixtureNames(kind).map((name) => readFileSync(path.join(CONFIG_FIXTURES, kind, name), 'utf8')));

/** Same issues, same value, and the same hover and definition ranges as the full parse. */
function assertSameAsFullParse(parser: IncrementalYamlParser, text: string): void {
  const full = analyzeConfig(text, FIXTURE_ENVIRONMENT);
  const incremental = analyzeConfig(text, FIXTURE_ENVIRONMENT, parser);
  assert.deepEqual(incremental.issues, full.issues, `issues differ for:\n${text}`);
  assert.deepEqual(incremental.source.value, full.source.value);
  for (let offset = 0; offset <= text.length; offset += 5) {
    assert.deepEqual(hoverAt(incremental, offset, {}), hoverAt(full, offset, {}), `hover at ${offset} differs for:\n${text}`);
    assert.deepEqual(definitionAt(incremental, offset), definitionAt(full, offset), `definition at ${offset} differs`);
  }
}

/** A deterministic stream of edits: insertions, deletions and replacements anywhere. */
function* edits(text: string, count: number): Generator<string> {
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const pieces = ['x', ' ', '\n', ':', '  ', 'model: fast', '\n  extra:\n    provider: local\n', '-', '#', '"', '[', '}'];
  let current = text;
  for (let index = 0; index < count; index++) {
    const at = Math.floor(random() * (current.length + 1));
    const choice = random();
    if (choice < 0.4) current = current.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + current.slice(at);
    else if (choice < 0.7) current = current.slice(0, at) + current.slice(at + 1 + Math.floor(random() * 6));
    else current = current.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + current.slice(at + 1);
    // Occasionally go back to a good state, as people do.
    if (random() < 0.1) current = text;
    yield current;
  }
}

describe('incremental YAML parse', () => {
  it('splits plain block configs into sections and entries, and refuses what it cannot split safely', () => {
    const sections = splitSections('# c\nproviders:\n  a:\n    type: x\n  b:\n    type: y\nroles: {}\n');
    assert.deepEqual(sections?.map((section) => [section.header, section.entries]), [
      [{ start: 0, end: 15 }, [{ start: 15, end: 32 }, { start: 32, end: 49 }]],
      [{ start: 49, end: 59 }, undefined],
    ]);
    for (const unsafe of ['a: &x 1\nb: *x\n', '---\na: 1\n', 'a:\n\tb: 1\n', '- a\n', 'a:\n    b: 1\n  c: 2\n']) assert.equal(splitSections(unsafe), undefined, unsafe);
  });

  it('matches the full parse on every fixture and on the example', () => {
    const parser = new IncrementalYamlParser();
    assert.ok(parser.parse(EXAMPLE), 'the example takes the incremental path');
    for (const text of [EXAMPLE, ...FIXTURES, EXAMPLE]) assertSameAsFullParse(parser, text);
  });

  it('matches the full parse through hundreds of random edits, taking the incremental path for most', () => {
    const large = `${largeConfig().split('\n').slice(0, 150).join('\n')}\n`;
    for (const start of [EXAMPLE, FIXTURES[0], large]) {
      const parser = new IncrementalYamlParser();
      let incremental = 0;
      for (const text of edits(start, 250)) {
        assertSameAsFullParse(parser, text);
        if (new IncrementalYamlParser().parse(text)) incremental++;
      }
      // Random edits often leave the text broken, which the full parse handles; many must still go fast.
      assert.ok(incremental > 50, `only ${incremental} of 250 edits took the incremental path`);
    }
  });

  it('leaves to the full parse what it cannot split safely', () => {
    const head = 'providers:\n  p:\n    type: ollama\nmodels:\n';
    const cases = [
      `${head}  a: {provider: p, model: x}\n  {c: {provider: p, model: y}}\n`,
      `${head}  x:\n    provider: p\n    model: a\n  ? y\n  :\n    provider: p\n    model: b\n`,
      'providers:\n\u00A0x: 1\n',
      '\uFEFFproviders:\n  p:\n    type: ollama\n',
      `${head}  a:\n    provider: p\n    model: x\n  a:\n    provider: p\n    model: y\n`,
    ];
    const parser = new IncrementalYamlParser();
    for (const text of cases) {
      assert.equal(new IncrementalYamlParser().parse(text), undefined, JSON.stringify(text));
      assertSameAsFullParse(parser, text);
    }
  });

  it('matches the full parse while a config is typed character by character', () => {
    const parser = new IncrementalYamlParser();
    for (let length = 0; length <= EXAMPLE.length; length += 3) assertSameAsFullParse(parser, EXAMPLE.slice(0, length));
  });

  it('reuses unchanged entries (their nodes) after an edit elsewhere', () => {
    const parser = new IncrementalYamlParser();
    const before = parser.parse(EXAMPLE);
    const after = parser.parse(EXAMPLE.replace('temperature: 0.3', 'temperature: 0.35'));
    const entry = (document: typeof before, section: string, name: string) => (document?.get(section) as { items: { key: { value: string } }[] }).items.find((pair) => pair.key.value === name);
    assert.ok(before && after);
    assert.equal(entry(after, 'models', 'coder'), entry(before, 'models', 'coder'));
    assert.notEqual(entry(after, 'roles', 'refinery'), entry(before, 'roles', 'refinery'));
  });
});
