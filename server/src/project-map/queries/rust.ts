import type { LanguageQueries } from './language-queries';

const ITEMS = `
(function_item name: (identifier) @name body: (_) @body) @definition.function
(struct_item name: (type_identifier) @name body: (_)? @body) @definition.struct
(union_item name: (type_identifier) @name body: (_)? @body) @definition.union
(enum_item name: (type_identifier) @name body: (_)? @body) @definition.enum
(trait_item name: (type_identifier) @name body: (_)? @body) @definition.trait
(type_item name: (type_identifier) @name) @definition.type
(const_item name: (identifier) @name) @definition.const
(static_item name: (identifier) @name) @definition.const
(macro_definition name: (identifier) @name) @definition.macro
(impl_item type: [(type_identifier) @name (generic_type type: (type_identifier) @name) (scoped_type_identifier name: (type_identifier) @name)] body: (_) @body) @definition.impl
`;

export const RUST: LanguageQueries = {
  // Items at the file's root (an inline \`mod tests\` is left out), and the functions of impls and traits.
  definitions: `${ITEMS.trim()
    .split('\n')
    .map((pattern) => `(source_file ${pattern})`)
    .join('\n')}

(impl_item body: (declaration_list (function_item name: (identifier) @name body: (_) @body) @definition.method)) @container
(trait_item body: (declaration_list (function_item name: (identifier) @name body: (_) @body) @definition.method)) @container
(trait_item body: (declaration_list (function_signature_item name: (identifier) @name) @definition.method)) @container
`,
  references: `
(identifier) @reference
(type_identifier) @reference
(field_identifier) @reference
`,
  wrappers: [],
  // source_file > impl_item
  definitionDepth: 1,
};
