// A zod issue with a message's params, said the way a client developer needs it: the field's path
// first, what was expected, and what came instead — `workers: expected a number, got string`. Pure.
import type * as z from 'zod';
import { closestName } from '../config/suggest';

export interface ParamsProblem {
  /** The field's path (`selection.startLine`, `context[1]`); `params` for the params themselves. */
  field: string;
  message: string;
}

type Path = readonly PropertyKey[];

function fieldName(path: Path): string {
  let name = '';
  for (const segment of path) name += typeof segment === 'number' ? `[${segment}]` : `${name === '' ? '' : '.'}${String(segment)}`;
  return name === '' ? 'params' : name;
}

function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

/** A value's kind as JSON names it: `string`, `number`, `boolean`, `null`, `array`, `object`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A short literal of a value for a message, cut at 40 characters. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'a boolean',
  object: 'an object',
  array: 'an array',
  tuple: 'an array',
};

function expected(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'invalid_type') return EXPECTED[issue.expected] ?? issue.expected;
  if (issue.code === 'invalid_value') return issue.values.length === 1 ? shown(issue.values[0]) : `one of ${issue.values.map(shown).join(', ')}`;
  return undefined;
}

/** What a value was instead of what was expected: its kind, or itself when its kind was right. */
function got(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_value' || (issue.code === 'invalid_type' && issue.expected === 'int' && typeof value === 'number')) return shown(value);
  return kindOf(value);
}

function sizeRule(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const exclusive = issue.inclusive === false;
  if (issue.origin === 'array' || issue.origin === 'string') {
    const unit = `${issue.origin === 'array' ? 'item' : 'character'}${Number(bound) === 1 ? '' : 's'}`;
    return `must have ${issue.code === 'too_small' ? 'at least' : 'at most'} ${String(bound)} ${unit}`;
  }
  if (issue.code === 'too_small') return `must be ${exclusive ? 'more than' : 'at least'} ${String(bound)}`;
  return `must be ${exclusive ? 'less than' : 'at most'} ${String(bound)}`;
}

/** The union's alternatives when each failed on its type: `a number or a string`. */
function unionExpected(issue: z.core.$ZodIssueInvalidUnion): string | undefined {
  const kinds = issue.errors.map((alternative) => (alternative.length === 1 && alternative[0].path.length === 0 ? expected(alternative[0]) : undefined));
  return kinds.every((kind) => kind !== undefined) ? [...new Set(kinds)].join(' or ') : undefined;
}

/**
 * The problem `issue` (from checking `params` against `schema`) describes. `keysAt` lists the fields
 * an object at a path may have, for "did you mean".
 */
export function describeParamsIssue(issue: z.core.$ZodIssue, params: unknown, keysAt: (path: Path) => readonly string[]): ParamsProblem {
  const value = valueAt(params, issue.path);
  const field = fieldName(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const [key] = issue.keys;
      const suggestion = closestName(key, keysAt(issue.path));
      return { field: fieldName([...issue.path, key]), message: `${fieldName([...issue.path, key])}: unknown field${suggestion ? `; did you mean ${suggestion}?` : ''}` };
    }
    case 'invalid_type':
      return { field, message: value === undefined ? `${field}: missing (${expected(issue)})` : `${field}: expected ${expected(issue)}, got ${got(issue, value)}` };
    case 'invalid_value':
      return { field, message: `${field}: expected ${expected(issue)}, got ${got(issue, value)}` };
    case 'invalid_union': {
      const alternatives = unionExpected(issue);
      return { field, message: alternatives ? `${field}: expected ${alternatives}, got ${kindOf(value)}` : `${field}: not a valid value` };
    }
    case 'too_small':
    case 'too_big':
      return { field, message: `${field}: ${sizeRule(issue)}` };
    case 'invalid_format':
      // The one pattern the params use is "not blank".
      return { field, message: issue.format === 'regex' && issue.pattern === '/\\S/' ? `${field}: must not be empty` : `${field}: must be ${issue.format}` };
    default:
      return { field, message: `${field}: ${issue.message}` };
  }
}
