// Which language a file is, by its extension, and which grammar parses it. Pure.
import { posix } from 'node:path';
import GRAMMAR_FILES from './grammars.json';

export type LanguageId = 'go' | 'typescript' | 'tsx' | 'javascript' | 'python' | 'rust' | 'c' | 'cpp' | 'java';
export type GrammarName = keyof typeof GRAMMAR_FILES.grammars;

const LANGUAGE_OF_EXTENSION: Readonly<Record<string, LanguageId>> = {
  '.go': 'go',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.rs': 'rust',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.c++': 'cpp',
  '.hh': 'cpp',
  '.hpp': 'cpp',
  '.hxx': 'cpp',
  '.java': 'java',
};

// The grammar package has no C grammar: C parses with the C++ one, which accepts nearly all C (a C
// identifier that is a C++ keyword, `class` or `new`, makes a local parse error, not a lost file).
const GRAMMAR_OF_LANGUAGE: Readonly<Record<LanguageId, GrammarName>> = {
  go: 'go',
  typescript: 'typescript',
  tsx: 'tsx',
  javascript: 'javascript',
  python: 'python',
  rust: 'rust',
  c: 'cpp',
  cpp: 'cpp',
  java: 'java',
};

export function languageOf(path: string): LanguageId | undefined {
  const extension = posix.extname(path).toLowerCase();
  return Object.hasOwn(LANGUAGE_OF_EXTENSION, extension) ? LANGUAGE_OF_EXTENSION[extension] : undefined;
}

export function grammarOf(language: LanguageId): GrammarName {
  return GRAMMAR_OF_LANGUAGE[language];
}

export function isLanguageId(value: string | undefined): value is LanguageId {
  return value !== undefined && Object.hasOwn(GRAMMAR_OF_LANGUAGE, value);
}
