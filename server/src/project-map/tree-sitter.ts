// The tree-sitter runtime and grammars, loaded on first use, each grammar only when a file needs it;
// each language's queries compiled once. Runs the queries over one file and hands back plain records
// (no wasm objects), freeing the tree. See wasm-bytes.ts for where the WebAssembly comes from.
import * as TreeSitter from '@vscode/tree-sitter-wasm';
import GRAMMAR_FILES from './grammars.json';
import { grammarOf, type LanguageId } from './languages';
import { QUERIES } from './queries';
import type { CapturedDefinition } from './definitions';
import { wasmBytes } from './wasm-bytes';

export interface ParsedFile {
  definitions: CapturedDefinition[];
  references: string[];
}

interface LanguageTools {
  parser: TreeSitter.Parser;
  definitions: TreeSitter.Query;
  references: TreeSitter.Query;
  wrappers: ReadonlySet<string>;
  definitionDepth: number;
}

let runtime: Promise<void> | undefined;
const tools = new Map<LanguageId, Promise<LanguageTools>>();

function initRuntime(): Promise<void> {
  runtime ??= (async () => {
    // web-tree-sitter asks locateFile for its file's name even when given the bytes; any name will do.
    const options = { wasmBinary: wasmBytes(GRAMMAR_FILES.runtime), locateFile: (file: string) => file };
    await TreeSitter.Parser.init(options as Parameters<typeof TreeSitter.Parser.init>[0]);
  })().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

async function loadTools(language: LanguageId): Promise<LanguageTools> {
  await initRuntime();
  const grammar = await TreeSitter.Language.load(wasmBytes(GRAMMAR_FILES.grammars[grammarOf(language)]));
  const parser = new TreeSitter.Parser();
  parser.setLanguage(grammar);
  const queries = QUERIES[language];
  return {
    parser,
    definitions: new TreeSitter.Query(grammar, queries.definitions),
    references: new TreeSitter.Query(grammar, queries.references),
    wrappers: new Set(queries.wrappers),
    definitionDepth: queries.definitionDepth,
  };
}

function toolsFor(language: LanguageId): Promise<LanguageTools> {
  let loading = tools.get(language);
  if (!loading) {
    loading = loadTools(language);
    tools.set(language, loading);
    loading.catch(() => tools.delete(language));
  }
  return loading;
}

/** Parses one file and runs its language's queries; undefined when the parse was cut off by `deadline`. */
export async function parseSource(content: string, language: LanguageId, deadline = Infinity): Promise<ParsedFile | undefined> {
  const { parser, definitions, references, wrappers, definitionDepth } = await toolsFor(language);
  const tree = parser.parse(content, null, { progressCallback: () => Date.now() > deadline });
  if (!tree) return undefined;
  try {
    const captured = capturedDefinitions(definitions.matches(tree.rootNode, { maxStartDepth: definitionDepth }), wrappers);
    const namesDefined = new Set(captured.map((definition) => definition.nameStart));
    return { definitions: captured, references: referencedNames(references.captures(tree.rootNode), namesDefined) };
  } finally {
    tree.delete();
  }
}

function capturedDefinitions(matches: TreeSitter.QueryMatch[], wrappers: ReadonlySet<string>): CapturedDefinition[] {
  const captured: CapturedDefinition[] = [];
  for (const match of matches) {
    let definition: TreeSitter.Node | undefined;
    let kind = '';
    let name: TreeSitter.Node | undefined;
    let body: TreeSitter.Node | undefined;
    let parent: string | undefined;
    let containerStart: number | undefined;
    for (const capture of match.captures) {
      if (capture.name.startsWith('definition.')) {
        definition = capture.node;
        kind = capture.name.slice('definition.'.length);
      } else if (capture.name === 'name') name = capture.node;
      else if (capture.name === 'body') body = capture.node;
      else if (capture.name === 'parent') parent = capture.node.text;
      else if (capture.name === 'container') containerStart = capture.node.startIndex;
    }
    if (!definition || !name) continue;
    // `export`, `type`, `const`… on the definition's first line start its signature.
    let signatureStart = definition.startIndex;
    for (let wrapper = definition.parent; wrapper && wrappers.has(wrapper.type) && wrapper.startPosition.row === definition.startPosition.row; wrapper = wrapper.parent) {
      signatureStart = wrapper.startIndex;
    }
    // A node that takes its line's end (a #define) ends at column 0 of the next line.
    const { row: endRow, column: endColumn } = definition.endPosition;
    captured.push({
      kind,
      name: name.text,
      nameStart: name.startIndex,
      nameEnd: name.endIndex,
      start: definition.startIndex,
      end: definition.endIndex,
      signatureStart,
      startRow: definition.startPosition.row,
      endRow: endColumn === 0 && endRow > definition.startPosition.row ? endRow - 1 : endRow,
      bodyStart: body?.startIndex,
      bodyEnd: body?.endIndex,
      parent,
      containerStart,
      pattern: match.patternIndex,
    });
  }
  return captured;
}

/** Each name used once, leaving out the names being defined and one-letter names (locals, noise). */
function referencedNames(captures: TreeSitter.QueryCapture[], namesDefined: ReadonlySet<number>): string[] {
  const names = new Set<string>();
  for (const { node } of captures) {
    if (node.endIndex - node.startIndex > 1 && !namesDefined.has(node.startIndex)) names.add(node.text);
  }
  return [...names];
}
