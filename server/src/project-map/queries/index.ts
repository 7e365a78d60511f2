// Each language's queries; C shares C++'s, as it shares its grammar.
import type { LanguageId } from '../languages';
import { CPP } from './cpp';
import { GO } from './go';
import { JAVA } from './java';
import { JAVASCRIPT, TYPESCRIPT } from './javascript';
import type { LanguageQueries } from './language-queries';
import { PYTHON } from './python';
import { RUST } from './rust';

export type { LanguageQueries } from './language-queries';

export const QUERIES: Readonly<Record<LanguageId, LanguageQueries>> = {
  go: GO,
  typescript: TYPESCRIPT,
  tsx: TYPESCRIPT,
  javascript: JAVASCRIPT,
  python: PYTHON,
  rust: RUST,
  c: CPP,
  cpp: CPP,
  java: JAVA,
};
