// A small JSON Schema (draft-07) validator for the keywords schemas/electrictown.schema.json uses, so
// tests can hold the published schema to what `et config check` says without a dependency. A keyword
// it does not know is an error, never silently ignored.

export type JsonPath = (string | number)[];

export interface Violation {
  /** Where the instance fails: for a key's problem (unknown, badly named, missing), the key's path. */
  path: JsonPath;
  keyword: string;
  /** Whether the violation is about a key (point at it) rather than a value. */
  target: 'key' | 'value';
}

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'markdownDescription', 'default', 'examples']);
const KNOWN = new Set([
  ...ANNOTATIONS,
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'enum',
  'const',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'items',
  'minItems',
  'maxItems',
  'anyOf',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeOf(value) === 'object';
    // JSON has no Infinity or NaN; YAML's .inf and .nan are not numbers to a JSON schema.
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
    case 'boolean':
      return typeof value === type;
    default:
      throw new Error(`unsupported JSON schema type ${type}`);
  }
}

/** Every violation of `schema` by `value`; empty when the value is valid. */
export function validateJsonSchema(schema: Schema, value: unknown, path: JsonPath = []): Violation[] {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) throw new Error(`unsupported JSON schema keyword ${keyword} at ${path.join('.')}`);
  }
  const violations: Violation[] = [];
  const fail = (keyword: string, at: JsonPath = path, target: Violation['target'] = 'value') => violations.push({ path: at, keyword, target });

  if (schema.anyOf !== undefined) {
    const branches = (schema.anyOf as Schema[]).map((branch) => validateJsonSchema(branch, value, path));
    if (!branches.some((branch) => branch.length === 0)) {
      // Report the branch written for this kind of value (a mapping's own problems), if exactly one is.
      const matching = (schema.anyOf as Schema[]).flatMap((branch, index) => (branch.type === undefined || [branch.type].flat().some((type) => hasType(value, String(type))) ? [index] : []));
      if (matching.length === 1) violations.push(...branches[matching[0]]);
      else fail('anyOf');
    }
  }
  if (schema.type !== undefined && ![schema.type].flat().some((type) => hasType(value, String(type)))) {
    fail('type');
    return violations;
  }
  if (schema.enum !== undefined && !(schema.enum as unknown[]).some((option) => option === value)) fail('enum');
  if (Object.hasOwn(schema, 'const') && schema.const !== value) fail('const');
  if (typeof value === 'string') {
    if (schema.pattern !== undefined && !new RegExp(String(schema.pattern), 'u').test(value)) fail('pattern');
    const length = [...value].length;
    if (schema.minLength !== undefined && length < Number(schema.minLength)) fail('minLength');
    if (schema.maxLength !== undefined && length > Number(schema.maxLength)) fail('maxLength');
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < Number(schema.minimum)) fail('minimum');
    if (schema.maximum !== undefined && value > Number(schema.maximum)) fail('maximum');
    if (schema.exclusiveMinimum !== undefined && value <= Number(schema.exclusiveMinimum)) fail('exclusiveMinimum');
    if (schema.exclusiveMaximum !== undefined && value >= Number(schema.exclusiveMaximum)) fail('exclusiveMaximum');
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < Number(schema.minItems)) fail('minItems');
    if (schema.maxItems !== undefined && value.length > Number(schema.maxItems)) fail('maxItems');
    if (schema.items !== undefined) value.forEach((item, index) => violations.push(...validateJsonSchema(schema.items as Schema, item, [...path, index])));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    if (schema.minProperties !== undefined && keys.length < Number(schema.minProperties)) fail('minProperties', path, 'key');
    for (const required of (schema.required ?? []) as string[]) {
      if (!Object.hasOwn(object, required)) fail('required', [...path, required], 'key');
    }
    for (const key of keys) {
      if (schema.propertyNames !== undefined && validateJsonSchema(schema.propertyNames as Schema, key).length > 0) {
        fail('propertyNames', [...path, key], 'key');
        continue;
      }
      if (Object.hasOwn(properties, key)) violations.push(...validateJsonSchema(properties[key], object[key], [...path, key]));
      else if (schema.additionalProperties === false) fail('additionalProperties', [...path, key], 'key');
      else if (typeof schema.additionalProperties === 'object') violations.push(...validateJsonSchema(schema.additionalProperties as Schema, object[key], [...path, key]));
    }
  }
  return violations;
}
