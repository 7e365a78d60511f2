import type { LanguageQueries } from './language-queries';

export const GO: LanguageQueries = {
  definitions: `
(function_declaration name: (identifier) @name body: (_)? @body) @definition.function

(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [
        (type_identifier) @parent
        (pointer_type (type_identifier) @parent)
        (generic_type type: (type_identifier) @parent)
        (pointer_type (generic_type type: (type_identifier) @parent))
      ]))
  name: (field_identifier) @name
  body: (_)? @body) @definition.method

(type_spec name: (type_identifier) @name type: (struct_type (field_declaration_list) @body)) @definition.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface
(type_spec name: (type_identifier) @name) @definition.type
(type_alias name: (type_identifier) @name) @definition.type

(type_spec type: (interface_type (method_elem name: (field_identifier) @name) @definition.method)) @container

; Exported constants and variables only: a package's unexported ones are its own business.
((const_spec name: (identifier) @name) @definition.const (#match? @name "^[A-Z]"))
((var_spec name: (identifier) @name) @definition.const (#match? @name "^[A-Z]"))
`,
  references: `
(identifier) @reference
(type_identifier) @reference
(field_identifier) @reference
`,
  wrappers: ['type_declaration', 'const_declaration', 'var_declaration'],
  // source_file > var_declaration > var_spec_list > var_spec
  definitionDepth: 3,
};
