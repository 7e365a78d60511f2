// One file's outline and the names it uses, from its content. Loads the parser on first use.
import type { LanguageId } from './languages';
import { outlineFromCaptures } from './definitions';
import { parseSource } from './tree-sitter';
import type { Definition } from './types';

export interface FileSymbols {
  definitions: Definition[];
  references: string[];
}

/** undefined when parsing ran past `deadline` (ms since the epoch). */
export async function fileSymbols(content: string, language: LanguageId, deadline?: number): Promise<FileSymbols | undefined> {
  const parsed = await parseSource(content, language, deadline);
  if (!parsed) return undefined;
  return { definitions: outlineFromCaptures(content, parsed.definitions), references: parsed.references };
}
