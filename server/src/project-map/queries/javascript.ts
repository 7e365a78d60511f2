import type { LanguageQueries } from './language-queries';

/** A definition pattern at the file's root, written as is and after `export` (or `export default`). */
function topLevel(pattern: string): string {
  return `(program ${pattern})\n(program (export_statement declaration: ${pattern}))`;
}

const FUNCTION_VALUE = `[(arrow_function body: (_) @body) (function_expression body: (_) @body) (generator_function body: (_) @body)]`;

// Shared by JavaScript, TypeScript and TSX: their grammars agree on these nodes.
const COMMON = [
  topLevel('(function_declaration name: (identifier) @name body: (_) @body) @definition.function'),
  topLevel('(generator_function_declaration name: (identifier) @name body: (_) @body) @definition.function'),
  topLevel('(class_declaration name: (_) @name body: (_) @body) @definition.class'),
  // `const handler = async (req) => …`: a function by what it holds. Before the exported-constant
  // pattern below, which matches the same node and loses to the earlier pattern.
  topLevel(`(lexical_declaration (variable_declarator name: (identifier) @name value: ${FUNCTION_VALUE}) @definition.function)`),
  topLevel(`(variable_declaration (variable_declarator name: (identifier) @name value: ${FUNCTION_VALUE}) @definition.function)`),
  '(program (export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name) @definition.const)))',
  // CommonJS: `exports.parse = function (…) {…}`, `module.exports.parse = …`.
  `(program (expression_statement (assignment_expression left: (member_expression property: (property_identifier) @name) right: ${FUNCTION_VALUE}) @definition.function) (#not-eq? @name "exports"))`,
  '((_ body: (class_body (method_definition name: (_) @name body: (_) @body) @definition.method)) @container (#not-eq? @name "constructor"))',
];

export const JAVASCRIPT: LanguageQueries = {
  definitions: [...COMMON, `(_ body: (class_body (field_definition property: (property_identifier) @name value: ${FUNCTION_VALUE}) @definition.method)) @container`].join('\n'),
  references: `
(identifier) @reference
(property_identifier) @reference
(shorthand_property_identifier) @reference
`,
  wrappers: ['export_statement', 'lexical_declaration', 'variable_declaration'],
  // program > export_statement > class_declaration
  definitionDepth: 2,
};

export const TYPESCRIPT: LanguageQueries = {
  definitions: [
    ...COMMON,
    topLevel('(abstract_class_declaration name: (type_identifier) @name body: (_) @body) @definition.class'),
    topLevel('(interface_declaration name: (type_identifier) @name body: (_) @body) @definition.interface'),
    topLevel('(type_alias_declaration name: (type_identifier) @name) @definition.type'),
    topLevel('(enum_declaration name: (identifier) @name body: (_) @body) @definition.enum'),
    // Overloads and `declare function`: the implementation, when there is one, is kept instead.
    topLevel('(function_signature name: (identifier) @name) @definition.function'),
    '(program (ambient_declaration (function_signature name: (identifier) @name) @definition.function))',
    '(program (ambient_declaration (class_declaration name: (_) @name body: (_) @body) @definition.class))',
    '(_ body: (class_body (abstract_method_signature name: (_) @name) @definition.method)) @container',
    '(_ body: (class_body (method_signature name: (_) @name) @definition.method)) @container',
    '(_ body: (interface_body (method_signature name: (_) @name) @definition.method)) @container',
    `(_ body: (class_body (public_field_definition name: (_) @name value: ${FUNCTION_VALUE}) @definition.method)) @container`,
  ].join('\n'),
  references: `
(identifier) @reference
(property_identifier) @reference
(shorthand_property_identifier) @reference
(type_identifier) @reference
`,
  wrappers: ['export_statement', 'lexical_declaration', 'variable_declaration', 'ambient_declaration'],
  definitionDepth: 2,
};
