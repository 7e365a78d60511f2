// The published JSON schema (what the YAML extension checks in the editor) and `et config check` agree
// on every config fixture: each place the JSON schema refuses is a place `et config check` reports a
// problem of the schema's kind, and the other way round. YAML that does not parse is refused by both
// (the YAML extension reports it as YAML). Cross-field checks (references to aliases and providers,
// unset variables, URLs…) are beyond a JSON schema and left out of the comparison.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineIndex } from '../../../server/src/config/line-index';
import { locate, parseYamlSource } from '../../../server/src/config/yaml-source';
import { CONFIG_FIXTURES, FIXTURE_ENVIRONMENT, fixtureNames } from '../../helpers/config-fixtures';
import { validateJsonSchema } from '../../helpers/json-schema-validator';
import { runEt } from '../../helpers/run-cli';

const ROOT = path.join(__dirname, '..', '..', '..');
const SCHEMA = JSON.parse(readFileSync(path.join(ROOT, 'schemas', 'electrictown.schema.json'), 'utf8'));

/** The codes whose problems a JSON schema can state: types, enums, bounds, required and unknown keys, names. */
const SCHEMA_CODES = new Set(['unknown-key', 'no-providers', 'missing-key', 'invalid-type', 'unknown-provider-type', 'invalid-value', 'out-of-range', 'empty-value', 'empty-model', 'reserved-name']);
/** The YAML's own problems, which any YAML tool reports before a schema is applied. */
const YAML_CODES = new Set(['yaml-syntax', 'yaml-warning', 'duplicate-key', 'unknown-alias']);

interface IssueJson {
  severity: string;
  code: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function rangeKey(range: IssueJson['range']): string {
  return `${range.start.line + 1}:${range.start.character + 1}-${range.end.line + 1}:${range.end.character + 1}`;
}

async function etCheck(file: string): Promise<{ exitCode: number; issues: IssueJson[] }> {
  const result = await runEt(['config', 'check', '--json', file], { env: FIXTURE_ENVIRONMENT });
  return { exitCode: result.exitCode, issues: (JSON.parse(result.stdout) as { issues: IssueJson[] }).issues };
}

/** Where the JSON schema refuses the file, as ranges; undefined when the YAML cannot be evaluated at all. */
function jsonSchemaRanges(text: string): string[] | undefined {
  const source = parseYamlSource(text);
  if (source.value === undefined) return undefined;
  const lines = new LineIndex(text);
  return validateJsonSchema(SCHEMA, source.value).map((violation) => {
    const [start, end] = locate(source, violation.path, violation.target);
    return rangeKey({ start: lines.positionAt(start), end: lines.positionAt(end) });
  });
}

/** Where the YAML itself is wrong (both tools say so), as ranges. */
function yamlProblemRanges(text: string): string[] {
  const lines = new LineIndex(text);
  return parseYamlSource(text).issues.map((issue) => rangeKey({ start: lines.positionAt(issue.start), end: lines.positionAt(issue.end) }));
}

const FILES = [...(['valid', 'invalid'] as const).flatMap((kind) => fixtureNames(kind).map((name) => path.join(CONFIG_FIXTURES, kind, name))), path.join(ROOT, 'electrictown.yaml')];

describe('the JSON schema and `et config check` agree', () => {
  for (const file of FILES) {
    it(path.relative(ROOT, file), async () => {
      const text = readFileSync(file, 'utf8');
      const checked = await etCheck(file);
      const jsonRanges = jsonSchemaRanges(text);
      if (jsonRanges === undefined) {
        assert.equal(checked.exitCode, 1, 'YAML that cannot be evaluated is refused');
        return;
      }
      const etRanges = checked.issues.filter((issue) => SCHEMA_CODES.has(issue.code) || YAML_CODES.has(issue.code)).map((issue) => rangeKey(issue.range));
      assert.deepEqual([...new Set([...jsonRanges, ...yamlProblemRanges(text)])].sort(), [...new Set(etRanges)].sort());
      // So a file the JSON schema accepts fails `et config check` only for cross-field reasons, and a
      // file it refuses is refused, or warned about for an unknown key, by `et config check`.
      const schemaErrors = checked.issues.filter((issue) => SCHEMA_CODES.has(issue.code) && issue.severity === 'error');
      if (jsonRanges.length === 0) assert.deepEqual(schemaErrors, []);
      else assert.ok(schemaErrors.length > 0 || checked.issues.some((issue) => issue.code === 'unknown-key'));
    });
  }

  it('covers files both accept, files both refuse, and files refused only for cross-field reasons', async () => {
    const outcomes = new Set<string>();
    for (const file of FILES) {
      const jsonRanges = jsonSchemaRanges(readFileSync(file, 'utf8'));
      const { exitCode } = await etCheck(file);
      outcomes.add(`${jsonRanges === undefined ? 'unevaluated' : jsonRanges.length === 0 ? 'schema-accepts' : 'schema-refuses'}/${exitCode === 0 ? 'et-accepts' : 'et-refuses'}`);
    }
    for (const outcome of ['schema-accepts/et-accepts', 'schema-refuses/et-refuses', 'schema-accepts/et-refuses']) assert.ok(outcomes.has(outcome), `${outcome} in ${[...outcomes].join(', ')}`);
  });
});

describe('the test JSON schema validator', () => {
  it('finds each kind of violation it supports, and refuses keywords it does not know', () => {
    const schema = {
      type: 'object',
      properties: { r: {}, n: { type: 'integer', minimum: 1, maximum: 3 }, s: { type: 'string', pattern: '\\S', enum: ['a', ' '] }, l: { type: 'array', items: { type: 'number', exclusiveMinimum: 0 }, maxItems: 1 } },
      required: ['n', 'r'],
      additionalProperties: false,
      propertyNames: { pattern: '^(?!bad$)' },
      minProperties: 1,
    };
    const paths = (value: unknown) => validateJsonSchema(schema, value).map((violation) => `${violation.path.join('.')} ${violation.keyword}`);
    assert.deepEqual(paths({ n: 1, r: 0 }), []);
    assert.deepEqual(paths({ n: 1.5, s: ' ', l: [0, 2], x: 1, bad: 1 }), ['r required', 'n type', 's pattern', 'l maxItems', 'l.0 exclusiveMinimum', 'x additionalProperties', 'bad propertyNames']);
    assert.deepEqual(paths({}), [' minProperties', 'n required', 'r required']);
    assert.deepEqual(paths({ n: 4, r: 0, s: 'b' }), ['n maximum', 's enum']);
    assert.deepEqual(paths(null), [' type']);
    assert.deepEqual(validateJsonSchema({ anyOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'null' }] }, { a: 1 }).map((violation) => violation.path.join('.')), ['a']);
    assert.throws(() => validateJsonSchema({ $ref: '#/x' }, 1), /unsupported JSON schema keyword \$ref/);
  });
});
