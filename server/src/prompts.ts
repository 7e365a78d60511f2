// The roles' built-in prompts, as readable text files in server/prompts/ (shipped beside the bundle).
// `roles.<name>.system_prompt` in the config replaces a role's own; `{{name}}` placeholders are filled
// from the run. This module sits one folder below `server/`, as the bundle does, so the same relative
// path finds the files from the sources and from `server/out/cli.js`. A standalone `et` (one file, no
// folder beside it) has them compiled in instead: `node esbuild.mjs --standalone` defines __ET_PROMPTS__.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const PROMPT_NAMES = ['mayor-decompose', 'mayor-followup', 'mayor-coordinate', 'mayor-synthesize', 'polecat', 'witness', 'refinery-refine', 'refinery-feedback', 'refinery-summarize'] as const;
export type PromptName = (typeof PROMPT_NAMES)[number];

declare const __ET_PROMPTS__: Readonly<Record<string, string>> | undefined;
const EMBEDDED: Readonly<Record<string, string>> | undefined = typeof __ET_PROMPTS__ === 'object' ? __ET_PROMPTS__ : undefined;

const PROMPTS_DIRECTORY = path.join(__dirname, '..', 'prompts');
const cache = new Map<PromptName, string>();

export function builtInPrompt(name: PromptName): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = (EMBEDDED ? embeddedPrompt(EMBEDDED, name) : readFileSync(path.join(PROMPTS_DIRECTORY, `${name}.md`), 'utf8')).trim();
    cache.set(name, text);
  }
  return text;
}

function embeddedPrompt(prompts: Readonly<Record<string, string>>, name: PromptName): string {
  const text = prompts[name];
  if (text === undefined) throw new Error(`this et was built without the built-in prompt ${name}`);
  return text;
}

/** Fills `{{name}}` placeholders; an unknown one is left as written, so a typo shows in the prompt. */
export function fillPrompt(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (placeholder, name: string) => (Object.hasOwn(values, name) ? values[name] : placeholder));
}
