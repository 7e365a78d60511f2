// `$VAR` and `${VAR}` references in api_key, base_url and header values, resolved from an
// environment the caller supplies (the process's, in the server and the CLI).

export type Environment = Readonly<Record<string, string | undefined>>;

export interface EnvReference {
  name: string;
  /** The reference as written, e.g. `${OPENAI_API_KEY}`. */
  text: string;
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** A variable's value; names like `constructor` never reach the object's prototype. */
export function lookupEnv(environment: Environment, name: string): string | undefined {
  return Object.hasOwn(environment, name) ? environment[name] : undefined;
}

export function findEnvReferences(value: string): EnvReference[] {
  return [...value.matchAll(REFERENCE)].map((match) => ({ name: match[1] ?? match[2], text: match[0] }));
}

export interface ResolvedValue {
  value: string;
  /** Names referenced but unset or empty, in order of appearance, without repeats. */
  unset: string[];
}

/** Substitutes every reference; an unset variable becomes empty and is reported. */
export function resolveEnv(value: string, environment: Environment): ResolvedValue {
  const unset: string[] = [];
  const resolved = value.replace(REFERENCE, (_, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const found = lookupEnv(environment, name);
    if (found === undefined || found === '') {
      if (!unset.includes(name)) unset.push(name);
      return '';
    }
    return found;
  });
  return { value: resolved, unset };
}
