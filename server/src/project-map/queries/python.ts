import type { LanguageQueries } from './language-queries';

export const PYTHON: LanguageQueries = {
  definitions: `
(module (function_definition name: (identifier) @name body: (_) @body) @definition.function)
(module (decorated_definition definition: (function_definition name: (identifier) @name body: (_) @body) @definition.function))
(module (class_definition name: (identifier) @name body: (_) @body) @definition.class)
(module (decorated_definition definition: (class_definition name: (identifier) @name body: (_) @body) @definition.class))

(class_definition body: (block (function_definition name: (identifier) @name body: (_) @body) @definition.method)) @container
(class_definition body: (block (decorated_definition definition: (function_definition name: (identifier) @name body: (_) @body) @definition.method))) @container

; Module constants, by the convention that names them in capitals.
(module (expression_statement (assignment left: (identifier) @name) @definition.const) (#match? @name "^[A-Z][A-Z0-9_]*$"))
`,
  references: `
(identifier) @reference
`,
  wrappers: ['expression_statement'],
  // module > decorated_definition > class_definition
  definitionDepth: 2,
};
