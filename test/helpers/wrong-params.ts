// Wrongly typed params for a request, generated from its schema: per field, values of every other
// JSON type, the field left out when it is required, and nested fields likewise — each with the
// message the server must answer. The expected wording is written here independently of the server's.
import * as z from 'zod';

export interface WrongParams {
  params: unknown;
  /** The whole InvalidParams message expected. */
  message: string;
}

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'enum' | 'union';

interface Field {
  kind: Kind;
  schema: z.ZodType;
  optional: boolean;
}

function describe(schema: z.ZodType): Field {
  let node = schema;
  let optional = false;
  while (node instanceof z.ZodOptional || node instanceof z.ZodNullable) {
    optional = true;
    node = node.unwrap() as z.ZodType;
  }
  const kind: Kind | undefined =
    node instanceof z.ZodString ? 'string'
    : node instanceof z.ZodNumber ? 'number'
    : node instanceof z.ZodBoolean ? 'boolean'
    : node instanceof z.ZodArray ? 'array'
    : node instanceof z.ZodObject ? 'object'
    : node instanceof z.ZodEnum ? 'enum'
    : node instanceof z.ZodUnion ? 'union'
    : undefined;
  if (kind === undefined) throw new Error(`no variations for a ${node.constructor.name}`);
  return { kind, schema: node, optional };
}

const PHRASES: Record<Exclude<Kind, 'enum' | 'union'>, string> = { string: 'a string', number: 'a number', boolean: 'a boolean', array: 'an array', object: 'an object' };

function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A valid value for a schema: the smallest that its rules accept. */
export function validValue(schema: z.ZodType): unknown {
  const { kind, schema: node } = describe(schema);
  if (kind === 'string') return 'x';
  if (kind === 'number') return 1;
  if (kind === 'boolean') return true;
  if (kind === 'array') return [];
  if (kind === 'enum') return (node as z.ZodEnum).options[0];
  if (kind === 'union') return validValue((node as z.ZodUnion).options[0] as z.ZodType);
  const shape = (node as z.ZodObject).shape as Record<string, z.ZodType>;
  return Object.fromEntries(Object.entries(shape).filter(([, field]) => !describe(field).optional).map(([name, field]) => [name, validValue(field)]));
}

const WRONG: Record<Kind, unknown[]> = {
  string: [5, true, null, [], {}],
  number: ['8', true, null, [], {}],
  boolean: ['yes', 1, null, []],
  array: ['x', 1, {}, null],
  object: [5, 'x', [], null],
  enum: ['bogus', 1],
  union: [true, null, {}],
};

function expectedFor(field: Field, value: unknown): string {
  if (field.kind === 'enum') {
    const options = (field.schema as z.ZodEnum).options.map((option) => JSON.stringify(option)).join(', ');
    return `expected one of ${options}, got ${JSON.stringify(value)}`;
  }
  if (field.kind === 'union') {
    const options = (field.schema as z.ZodUnion).options.map((option) => PHRASES[describe(option as z.ZodType).kind as keyof typeof PHRASES]);
    return `expected ${options.join(' or ')}, got ${jsonKind(value)}`;
  }
  return `expected ${PHRASES[field.kind]}, got ${jsonKind(value)}`;
}

/** Every wrongly typed variation of `base` (valid params) for the object schema `schema`. */
export function wrongParams(schema: z.ZodObject, base: Record<string, unknown>, prefix = ''): WrongParams[] {
  const variations: WrongParams[] = [];
  for (const [name, fieldSchema] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const field = describe(fieldSchema);
    const path = `${prefix}${name}`;
    for (const value of WRONG[field.kind]) variations.push({ params: { ...base, [name]: value }, message: `${path}: ${expectedFor(field, value)}` });
    if (!field.optional && field.kind !== 'object') {
      const { [name]: _left, ...without } = base;
      if (field.kind !== 'enum' && field.kind !== 'union') variations.push({ params: without, message: `${path}: missing (${PHRASES[field.kind]})` });
    }
    if (field.kind === 'array' && describe((field.schema as z.ZodArray).element as z.ZodType).kind === 'string') {
      variations.push({ params: { ...base, [name]: ['x', 7] }, message: `${path}[1]: expected a string, got number` });
    }
    if (field.kind === 'object') {
      const nested = validValue(field.schema) as Record<string, unknown>;
      for (const inner of wrongParams(field.schema as z.ZodObject, nested, `${path}.`)) variations.push({ params: { ...base, [name]: inner.params }, message: inner.message });
    }
  }
  variations.push({ params: { ...base, zz: 1 }, message: `${prefix}zz: unknown field` });
  if (prefix === '') {
    for (const value of [null, [base], 5, 'text']) variations.push({ params: value, message: `params: expected an object, got ${jsonKind(value)}` });
  }
  return variations;
}
