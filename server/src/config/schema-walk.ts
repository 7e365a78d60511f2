// Reads the zod schema as data: which keys a mapping at a path accepts, their descriptions and
// enum values. Completion, hover and "did you mean" all ask the schema rather than keep lists.
import * as z from 'zod';
import { configSchema } from './schema';

export type ConfigPath = readonly (string | number)[];

export interface SchemaField {
  name: string;
  description: string | undefined;
  required: boolean;
  /** Allowed values when the field is an enum. */
  values: readonly string[] | undefined;
  /** The value is a mapping of user-chosen names (providers, models, roles…). */
  isNamedMap: boolean;
  isList: boolean;
}

/** Peels optional/nullable wrappers, collecting the first description on the way. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; description: string | undefined; optional: boolean } {
  let inner = schema;
  let description = schema.description;
  let optional = false;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable || inner instanceof z.ZodPipe) {
    // A pipe (an empty value read as the default) is described by what it accepts.
    if (inner instanceof z.ZodPipe) inner = inner.in as z.ZodType;
    else {
      optional = true;
      inner = inner.unwrap() as z.ZodType;
    }
    description ??= inner.description;
  }
  return { inner, description, optional };
}

/** The schema node at a path, where records match any key and arrays any index. */
export function schemaAt(path: ConfigPath): z.ZodType | undefined {
  let node: z.ZodType = configSchema;
  for (const segment of path) {
    const { inner } = unwrap(node);
    if (inner instanceof z.ZodObject && typeof segment === 'string') {
      const shape = inner.shape as Record<string, z.ZodType>;
      if (!Object.hasOwn(shape, segment)) return undefined;
      node = shape[segment];
    } else if (inner instanceof z.ZodRecord) {
      node = inner.valueType as z.ZodType;
    } else if (inner instanceof z.ZodArray) {
      node = inner.element as z.ZodType;
    } else {
      return undefined;
    }
  }
  return node;
}

function describeField(name: string, schema: z.ZodType): SchemaField {
  const { inner, description, optional } = unwrap(schema);
  return {
    name,
    description,
    required: !optional,
    // An empty value, where accepted, means the default: it is not one of the choices to offer.
    values: inner instanceof z.ZodEnum ? (inner.options as string[]).filter((option) => option !== '') : undefined,
    isNamedMap: inner instanceof z.ZodRecord,
    isList: inner instanceof z.ZodArray,
  };
}

/** The keys a mapping at `path` accepts, in schema order; empty when its keys are user-chosen. */
export function fieldsAt(path: ConfigPath): SchemaField[] {
  const node = schemaAt(path);
  if (!node) return [];
  const { inner } = unwrap(node);
  if (!(inner instanceof z.ZodObject)) return [];
  return Object.entries(inner.shape as Record<string, z.ZodType>).map(([name, schema]) => describeField(name, schema));
}

/** The field a key path names, or undefined when the schema has no such key. */
export function fieldAt(path: ConfigPath): SchemaField | undefined {
  const node = schemaAt(path);
  const last = path[path.length - 1];
  return node && typeof last === 'string' ? describeField(last, node) : undefined;
}
