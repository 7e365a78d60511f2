// Names JavaScript reserves (issue 19): refused where they are written, whatever section they are in,
// and no lookup by a user-given name reaches what every object inherits.
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../server/src/config/analyze';
import { IncrementalYamlParser } from '../../../server/src/config/incremental-yaml';
import { ownEntry, valueAtPath } from '../../../server/src/config/references';
import { withoutReservedKeys } from '../../../server/src/config/reserved-names';
import { chainForSpecialist, ChainError } from '../../../server/src/router/chain';

const VALID = 'providers:\n  local:\n    type: ollama\nmodels:\n  fast:\n    provider: local\n    model: llama3.2\ndefaults:\n  model: fast\n';

function reservedAt(text: string): string[] {
  return analyzeConfig(text, {}).issues.filter((issue) => issue.code === 'reserved-name').map((issue) => `${text.slice(issue.start, issue.end)}@${issue.start}`);
}

describe('reserved names in a config', () => {
  for (const name of ['__proto__', 'constructor', 'prototype', '"__proto__"', "'constructor'"]) {
    const bare = name.replace(/["']/g, '');
    it(`${name} is an error at its own range, as a provider, an alias, a role, a specialist or a header`, () => {
      const text = [
        'providers:',
        `  ${name}:\n    type: ollama`,
        '  local:\n    type: ollama',
        `    headers:\n      ${name}: x`,
        'models:',
        `  ${name}:\n    provider: local\n    model: llama3.2`,
        '  fast:\n    provider: local\n    model: llama3.2',
        'roles:',
        `  ${name}:\n    model: fast`,
        'specialists:',
        `  ${name}:\n    model: fast`,
        'defaults:\n  model: fast',
        '',
      ].join('\n');
      const offsets: number[] = [];
      for (let at = text.indexOf(`${name}:`); at !== -1; at = text.indexOf(`${name}:`, at + 1)) offsets.push(at);
      assert.deepEqual(reservedAt(text), offsets.map((offset) => `${name}@${offset}`));
      const analysis = analyzeConfig(text, {});
      // Each is reported once: not again as an unknown key, a lost provider or a collision.
      assert.deepEqual(
        analysis.issues.map((issue) => issue.code),
        offsets.map(() => 'reserved-name'),
      );
      assert.ok(analysis.issues.every((issue) => issue.message.startsWith(`"${bare}" cannot be used as a name`)));
      assert.equal(analysis.config, undefined);
      assert.deepEqual(new IncrementalYamlParser().parse(text) && analyzeConfig(text, {}, new IncrementalYamlParser()).issues, analysis.issues);
    });
  }

  it('is found when spelt with escapes in a quoted key', () => {
    const text = `${VALID}roles:\n  "\\x5f_proto__":\n    model: fast\n  "construct\\u006fr": {}\n`;
    assert.deepEqual(analyzeConfig(text, {}).issues.map((issue) => `${issue.code} ${text.slice(issue.start, issue.end)}`), ['reserved-name "\\x5f_proto__"', 'reserved-name "construct\\u006fr"']);
  });

  it('is found under keys the schema fixes too, and inside flow mappings', () => {
    const text = `${VALID}  constructor: 1\nroles:\n  mayor: {model: fast, prototype: 2}\n`;
    assert.deepEqual(reservedAt(text), [`constructor@${text.indexOf('constructor')}`, `prototype@${text.indexOf('prototype')}`]);
  });

  it('leaves other Object property names alone: they are names like any other', () => {
    const text = VALID.replace(/fast/g, 'toString').replace('local', 'hasOwnProperty').replace('provider: local', 'provider: hasOwnProperty');
    const analysis = analyzeConfig(text, {});
    assert.deepEqual(analysis.issues, []);
    assert.equal(ownEntry(analysis.config?.models, 'toString')?.provider, 'hasOwnProperty');
  });

  it('is dropped from the value every check reads, with aliases and cycles copied once', () => {
    const shared = { kept: 1 };
    const cyclic: Record<string, unknown> = { constructor: 'x', shared, again: shared };
    cyclic.self = cyclic;
    const copy = withoutReservedKeys(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(copy), []);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const cycleCopy = withoutReservedKeys(cyclic) as Record<string, unknown>;
    assert.deepEqual(Object.keys(cycleCopy), ['shared', 'again', 'self']);
    assert.equal(cycleCopy.self, cycleCopy);
    assert.equal(cycleCopy.shared, cycleCopy.again);
    assert.notEqual(cycleCopy.shared, shared);
  });
});

describe('lookups by a user-given name', () => {
  it('find own entries only', () => {
    assert.equal(valueAtPath({ providers: {} }, ['providers', 'constructor']), undefined);
    assert.equal(valueAtPath({ providers: { toString: 1 } }, ['providers', 'toString']), 1);
    assert.equal(ownEntry({}, 'toString'), undefined);
    assert.equal(ownEntry(undefined, 'x'), undefined);
  });

  it('do not find a specialist the mayor names after an Object property', () => {
    const analysis = analyzeConfig(`${VALID}specialists:\n  docs:\n    model: fast\n`, {});
    assert.ok(analysis.config);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.throws(() => chainForSpecialist(analysis.config!, name), (error: unknown) => error instanceof ChainError && error.message === `there is no specialist "${name}"`);
    }
    assert.equal(chainForSpecialist(analysis.config, 'docs').label, 'specialist docs');
  });
});
