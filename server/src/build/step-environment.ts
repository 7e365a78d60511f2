// The environment a build step runs in: the parent's, without anything that looks like a secret. A
// build runs code a model wrote; it has no business reading the provider keys electrictown holds.

const SECRET_PATTERNS: readonly RegExp[] = [/(^|_)API_?KEY$/i, /(^|_)TOKEN$/i, /SECRET/i, /PASSWORD/i, /PASSWD/i];

/** Whether a variable's name says it holds a secret: `*_API_KEY`, `*_TOKEN`, `*SECRET*`, `*PASSWORD*`. */
export function looksSecret(name: string): boolean {
  return SECRET_PATTERNS.some((pattern) => pattern.test(name));
}

/** `parent` without the variables that look secret and without those named in `secretNames`. Pure. */
export function stepEnvironment(parent: NodeJS.ProcessEnv, secretNames: readonly string[] = []): NodeJS.ProcessEnv {
  const named = new Set(secretNames);
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && !named.has(name) && !looksSecret(name)) environment[name] = value;
  }
  return environment;
}
