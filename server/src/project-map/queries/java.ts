import type { LanguageQueries } from './language-queries';

export const JAVA: LanguageQueries = {
  definitions: `
(program (class_declaration name: (identifier) @name body: (_) @body) @definition.class)
(program (record_declaration name: (identifier) @name body: (_) @body) @definition.class)
(program (interface_declaration name: (identifier) @name body: (_) @body) @definition.interface)
(program (enum_declaration name: (identifier) @name body: (_) @body) @definition.enum)
(program (annotation_type_declaration name: (identifier) @name body: (_) @body) @definition.interface)

(_ body: (class_body (method_declaration name: (identifier) @name body: (_)? @body) @definition.method)) @container
(_ body: (interface_body (method_declaration name: (identifier) @name body: (_)? @body) @definition.method)) @container
(_ body: (enum_body (enum_body_declarations (method_declaration name: (identifier) @name body: (_)? @body) @definition.method))) @container
`,
  references: `
(identifier) @reference
(type_identifier) @reference
`,
  wrappers: [],
  // program > class_declaration
  definitionDepth: 1,
};
