// Runs the zod schema and turns its issues into messages written for people: what is wrong, where,
// what was expected and, for names, what was probably meant. Values of secrets are never quoted.
import * as z from 'zod';
import { formatPath, type PathIssue } from './issues';
import { fieldsAt, type ConfigPath } from './schema-walk';
import { valueAtPath } from './references';
import { configSchema, PROVIDER_TYPES } from './schema';
import { didYouMean, misspeltName } from './suggest';

type ZodIssue = z.core.$ZodIssue;

export interface SchemaCheck {
  issues: PathIssue[];
  /** The typed config when nothing but unknown keys stood in the way (they are dropped). */
  config: z.infer<typeof configSchema> | undefined;
}

const SECRET_KEYS = new Set(['api_key', 'headers']);

/** A key as written, cut short: a key can be a whole flow collection, thousands of characters long. */
function shortened(key: string): string {
  const oneLine = key.replace(/\s+/g, ' ');
  return oneLine.length > 40 ? `${oneLine.slice(0, 40)}…` : oneLine;
}

function isSecretPath(path: ConfigPath): boolean {
  return path.some((segment) => typeof segment === 'string' && SECRET_KEYS.has(segment));
}

/** "a string", "a list", "null"… for `got …` in messages. */
function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a whole number' : 'a number';
  if (typeof value === 'boolean') return 'true/false';
  return typeof value;
}

function describeGot(value: unknown, path: ConfigPath): string {
  if (isSecretPath(path)) return describeKind(value);
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return describeKind(value);
}

const EXPECTED_PHRASES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  object: 'a mapping (key: value)',
  record: 'a mapping (name: settings)',
  array: 'a list',
  boolean: 'true or false',
};

function sectionHint(path: ConfigPath): string {
  if (path.length === 2 && path[0] === 'providers') return ' with at least `type`';
  if (path.length === 2 && path[0] === 'models') return ' with `provider` and `model`';
  return '';
}

function describeIssue(issue: ZodIssue, raw: unknown): PathIssue[] {
  const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  const label = formatPath(path);
  const got = valueAtPath(raw, path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => {
        const known = fieldsAt(path).map((field) => field.name);
        const where = path.length === 0 ? 'at the top level' : `in ${label}`;
        // A near miss (`fallback` for `fallbacks`) is a setting that silently does nothing: an error.
        return {
          severity: misspeltName(key, known) === undefined ? 'warning' : 'error',
          code: 'unknown-key',
          message: `unknown key "${shortened(key)}" ${where}${didYouMean(key, known)}`,
          path: [...path, key],
          target: 'key',
        } satisfies PathIssue;
      });
    case 'invalid_type': {
      const isProviders = path.length === 1 && path[0] === 'providers';
      if (got === undefined || (isProviders && got === null)) {
        if (isProviders) {
          return [
            {
              severity: 'error',
              code: 'no-providers',
              message: 'no `providers`: add at least one (for example a local Ollama: `type: ollama`, `base_url: http://localhost:11434`)',
              path,
              target: 'key',
            },
          ];
        }
        const parent = formatPath(path.slice(0, -1));
        return [
          {
            severity: 'error',
            code: 'missing-key',
            message: `${parent} is missing the required key "${String(path[path.length - 1])}"`,
            path,
            target: 'key',
          },
        ];
      }
      if (path.length === 0 && got === null) {
        return [{ severity: 'error', code: 'no-providers', message: 'the config is empty: start with `providers:` (Electrictown: Create Config writes a starter)', path, target: 'value' }];
      }
      if (path.length === 0) {
        return [{ severity: 'error', code: 'invalid-type', message: `the config must be a mapping with \`providers\`, \`models\` and \`roles\`, got ${describeKind(got)}`, path, target: 'value' }];
      }
      const expected = EXPECTED_PHRASES[issue.expected] ?? issue.expected;
      return [{ severity: 'error', code: 'invalid-type', message: `${label} must be ${expected}${sectionHint(path)}, got ${describeGot(got, path)}`, path, target: 'value' }];
    }
    case 'invalid_value': {
      const field = path[path.length - 1];
      const options = issue.values.map(String).filter((option) => option !== '');
      const name = typeof got === 'string' ? got : '';
      if (field === 'type' && path[0] === 'providers') {
        const given = typeof got === 'string' ? ` "${got}"` : '';
        return [{ severity: 'error', code: 'unknown-provider-type', message: `unknown provider type${given}; expected one of ${PROVIDER_TYPES.join(', ')}${didYouMean(name, options)}`, path, target: 'value' }];
      }
      return [{ severity: 'error', code: 'invalid-value', message: `${label} must be one of ${options.join(', ')}, got ${describeGot(got, path)}${didYouMean(name, options)}`, path, target: 'value' }];
    }
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'string') return [emptyValueIssue(path, label)];
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
      return [{ severity: 'error', code: 'out-of-range', message: `${label} must be ${bound}, got ${describeGot(got, path)}`, path, target: 'value' }];
    }
    case 'invalid_format':
      // The only string format in the schema is "not blank".
      return [emptyValueIssue(path, label)];
    default:
      return [{ severity: 'error', code: 'invalid-value', message: `${label}: ${issue.message}`, path, target: 'value' }];
  }
}

function emptyValueIssue(path: ConfigPath, label: string): PathIssue {
  const isModelId = path.length === 3 && path[0] === 'models' && path[2] === 'model';
  return {
    severity: 'error',
    code: isModelId ? 'empty-model' : 'empty-value',
    message: isModelId ? `model alias "${String(path[1])}" has an empty \`model\`: give the provider's model id` : `${label} must not be empty`,
    path,
    target: 'value',
  };
}

function withoutKeys(value: unknown, removals: readonly { path: ConfigPath; keys: readonly string[] }[]): unknown {
  const copy: unknown = structuredClone(value);
  for (const removal of removals) {
    const holder = valueAtPath(copy, removal.path);
    if (holder && typeof holder === 'object') {
      for (const key of removal.keys) delete (holder as Record<string, unknown>)[key];
    }
  }
  return copy;
}

/** Checks a parsed value against the schema. */
export function checkSchema(value: unknown): SchemaCheck {
  const result = configSchema.safeParse(value);
  if (result.success) return { issues: [], config: result.data };
  const issues = result.error.issues.flatMap((issue) => describeIssue(issue, value));
  const unknownKeys = result.error.issues.filter((issue) => issue.code === 'unrecognized_keys');
  let config: SchemaCheck['config'];
  if (unknownKeys.length === result.error.issues.length) {
    const stripped = configSchema.safeParse(
      withoutKeys(
        value,
        unknownKeys.map((issue) => ({ path: issue.path.filter((s): s is string | number => typeof s !== 'symbol'), keys: issue.keys })),
      ),
    );
    config = stripped.success ? stripped.data : undefined;
  }
  return { issues, config };
}
