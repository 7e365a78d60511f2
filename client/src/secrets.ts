// API keys in VS Code's SecretStorage (the OS keychain), under the environment variable name the config
// uses (`ANTHROPIC_API_KEY`); variables from the environment still work when none is stored. The server gets them in its process environment when it starts — never in
// a file, a setting, a log or a protocol message (a protocol trace would print those). The names alone
// are kept in the global state, since SecretStorage cannot list its keys.
import * as vscode from 'vscode';

const NAMES_KEY = 'electrictown.apiKeyNames';
const SECRET_PREFIX = 'electrictown.env.';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why an environment variable name is unusable, or undefined. Pure. */
export function envNameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'Type the name, e.g. ANTHROPIC_API_KEY';
  if (!ENV_NAME.test(name.trim())) return 'Letters, digits and _ only, not starting with a digit (as in ${ANTHROPIC_API_KEY})';
  return undefined;
}

export class ApiKeys {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  names(): string[] {
    return this.state.get<string[]>(NAMES_KEY, []);
  }

  async set(name: string, value: string): Promise<void> {
    await this.secrets.store(SECRET_PREFIX + name, value);
    if (!this.names().includes(name)) await this.state.update(NAMES_KEY, [...this.names(), name].sort());
  }

  async delete(name: string): Promise<void> {
    await this.secrets.delete(SECRET_PREFIX + name);
    await this.state.update(NAMES_KEY, this.names().filter((known) => known !== name));
  }

  /** The stored keys as environment variables. They override the editor's own environment: setting one here is the more deliberate act. */
  async environment(): Promise<Record<string, string>> {
    const entries = await Promise.all(this.names().map(async (name) => [name, await this.secrets.get(SECRET_PREFIX + name)] as const));
    return Object.fromEntries(entries.filter((entry): entry is readonly [string, string] => typeof entry[1] === 'string'));
  }
}

/** Env var names the config refers to (`${NAME}`), for the Set API Key picker. Pure. */
export function referencedNames(configText: string): string[] {
  return [...new Set([...configText.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1]))].sort();
}

/**
 * "Set API Key": pick or type the variable's name (or take `given`, from a quick fix or the pre-flight
 * message), then the key (hidden); then restart the server.
 */
export async function setApiKey(keys: ApiKeys, configText: () => Promise<string | undefined>, restart: () => Promise<unknown>, given?: string): Promise<void> {
  let name: string | undefined = given !== undefined && envNameProblem(given) === undefined ? given.trim() : undefined;
  const referenced = name ? [] : referencedNames((await configText()) ?? '');
  const known = new Set(keys.names());
  const candidates = [...new Set([...referenced, ...known])];
  if (!name && candidates.length > 0) {
    const other = '$(edit) Another name…';
    const picked = await vscode.window.showQuickPick(
      [...candidates.map((candidate) => ({ label: candidate, description: [referenced.includes(candidate) ? 'used in the config' : '', known.has(candidate) ? 'stored' : '', process.env[candidate] ? 'set in the environment' : ''].filter(Boolean).join(' · ') })), { label: other, description: '' }],
      { title: 'Electrictown: Set API Key', placeHolder: 'Which environment variable does the config read the key from?' },
    );
    if (!picked) return;
    name = picked.label === other ? undefined : picked.label;
  }
  name ??= (await vscode.window.showInputBox({ title: 'Electrictown: Set API Key', prompt: 'The environment variable name the config uses, e.g. ANTHROPIC_API_KEY', validateInput: envNameProblem }))?.trim();
  if (!name) return;
  const value = await vscode.window.showInputBox({ title: `Electrictown: ${name}`, prompt: `The key for \${${name}}. It is kept in the OS keychain and given to the server in its environment. Leave empty to remove it.`, password: true, ignoreFocusOut: true });
  if (value === undefined) return;
  if (value.trim() === '') await keys.delete(name);
  else await keys.set(name, value.trim());
  const shadowed = process.env[name] !== undefined && value.trim() !== '' ? ` It overrides the ${name} in the editor's environment.` : '';
  void vscode.window.showInformationMessage(`Electrictown: ${value.trim() === '' ? 'removed' : 'stored'} ${name}.${shadowed}`);
  await restart();
}
