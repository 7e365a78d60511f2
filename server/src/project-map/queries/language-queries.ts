// What a language's tree-sitter queries capture (after aider's tags queries, `@definition.function`,
// `@name.reference.call`…, with names shortened to what the extraction reads):
//   @definition.<kind>  the node a definition spans: its lines, its signature
//   @name               the definition's name
//   @body               its body: the signature is the text before it
//   @parent             the type a top-level method belongs to: a Go receiver, C++'s `Shape::area`
//   @container          a member's class (interface, struct, trait, impl…), the node itself
//   @reference          (the references query) a name the file uses
// A definition is kept when nothing captured encloses it, and a member when its @container is a kept
// definition: nested functions, local classes and the methods of nested classes are not part of a
// file's outline. Patterns for top-level definitions are written under the file's root node where the
// language nests freely (JS, Python, Rust, Java).

export interface LanguageQueries {
  definitions: string;
  references: string;
  /** Node types that start a definition's signature when on its first line: `export`, `type`, `const`… */
  wrappers: readonly string[];
  /**
   * How deep (the root is 0) a definitions pattern can start: the query then never walks into function
   * bodies, where nothing it keeps can start. A third of a file's query time on real code.
   */
  definitionDepth: number;
}
