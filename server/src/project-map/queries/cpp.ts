import type { LanguageQueries } from './language-queries';

// C and C++ nest definitions in namespaces, \`extern "C"\` blocks and include guards, so these patterns
// match at any depth: the enclosing rule (a function holds no kept definition) leaves out what is local.
const FUNCTION_NAME = `[
    (function_declarator declarator: (identifier) @name)
    (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
    (reference_declarator (function_declarator declarator: (identifier) @name))
  ]`;
const METHOD_NAME = `[
    (function_declarator declarator: [(field_identifier) (destructor_name) (operator_name)] @name)
    (pointer_declarator declarator: (function_declarator declarator: (field_identifier) @name))
    (reference_declarator (function_declarator declarator: (field_identifier) @name))
  ]`;
const QUALIFIED_NAME = `[
    (function_declarator declarator: (qualified_identifier scope: (_) @parent name: [(identifier) (destructor_name) (operator_name)] @name))
    (pointer_declarator declarator: (function_declarator declarator: (qualified_identifier scope: (_) @parent name: (identifier) @name)))
    (reference_declarator (function_declarator declarator: (qualified_identifier scope: (_) @parent name: (identifier) @name)))
  ]`;

export const CPP: LanguageQueries = {
  definitions: `
(function_definition declarator: ${FUNCTION_NAME} body: (_) @body) @definition.function
(function_definition declarator: ${QUALIFIED_NAME} body: (_) @body) @definition.method
(_ body: (field_declaration_list (function_definition declarator: ${METHOD_NAME} body: (_) @body) @definition.method)) @container
(declaration declarator: ${FUNCTION_NAME}) @definition.function
(_ body: (field_declaration_list (field_declaration declarator: ${METHOD_NAME}) @definition.method)) @container

(class_specifier name: (type_identifier) @name body: (_) @body) @definition.class
(struct_specifier name: (type_identifier) @name body: (_) @body) @definition.struct
(union_specifier name: (type_identifier) @name body: (_) @body) @definition.union
(enum_specifier name: (type_identifier) @name body: (_) @body) @definition.enum
(type_definition type: (_ body: (_) @body) declarator: (type_identifier) @name) @definition.type
(type_definition declarator: (type_identifier) @name) @definition.type
(alias_declaration name: (type_identifier) @name) @definition.type

; A #define with a value (an include guard has none).
(preproc_def name: (identifier) @name value: (_)) @definition.macro
(preproc_function_def name: (identifier) @name) @definition.macro
`,
  references: `
(identifier) @reference
(type_identifier) @reference
(field_identifier) @reference
(namespace_identifier) @reference
`,
  wrappers: ['template_declaration'],
  // Include guards, namespaces, extern "C" and templates nest freely; function bodies are deeper still.
  definitionDepth: 12,
};
