import assert from 'node:assert/strict';
import { definitionsOf } from '../../../server/src/project-map';
import type { Definition } from '../../../server/src/project-map';
import { fileSymbols } from '../../../server/src/project-map/parse-file';
import * as samples from '../../fixtures/project-map/samples';

/** [name, kind, line, endLine, parent] of each definition, in file order. */
async function outline(path: string, content: string): Promise<[string, string, number, number, string | undefined][]> {
  return (await definitionsOf(path, content)).map((definition: Definition) => [definition.name, definition.kind, definition.line, definition.endLine, definition.parent]);
}

async function signatures(path: string, content: string): Promise<Record<string, string>> {
  return Object.fromEntries((await definitionsOf(path, content)).map((definition) => [`${definition.parent ? `${definition.parent}.` : ''}${definition.name}`, definition.signature]));
}

describe('project map: symbols from tree-sitter', () => {
  it('Go: functions, structs, interfaces, exported constants, methods with their receiver', async () => {
    assert.deepEqual(await outline('handler.go', samples.GO_PROJECT['handler.go']), [
      ['ListItems', 'function', 9, 11, undefined],
      ['CreateItem', 'function', 13, 17, undefined],
    ]);
    assert.deepEqual(await outline('store.go', samples.GO_PROJECT['store.go']), [
      ['Item', 'struct', 3, 6, undefined],
      ['Store', 'struct', 8, 10, undefined],
      ['Lister', 'interface', 12, 14, undefined],
      ['All', 'method', 13, 13, 'Lister'],
      ['MaxItems', 'const', 16, 16, undefined],
      ['All', 'method', 18, 18, 'Store'],
      ['Add', 'method', 20, 22, 'Store'],
    ]);
    const store = await signatures('store.go', samples.GO_PROJECT['store.go']);
    assert.equal(store['Store.Add'], 'func (s *Store) Add(item Item)');
    assert.equal(store.Item, 'type Item struct');
    assert.equal(store.MaxItems, 'const MaxItems = 100');
    assert.equal((await signatures('handler.go', samples.GO_PROJECT['handler.go'])).ListItems, 'func ListItems(w http.ResponseWriter, r *http.Request)');
  });

  it('TypeScript: exported constants, interfaces, types, enums, classes and their methods; no nested or local definitions', async () => {
    assert.deepEqual(await outline('src/server.ts', samples.TYPESCRIPT_FILE), [
      ['DEFAULT_PORT', 'const', 3, 3, undefined],
      ['ServerOptions', 'interface', 5, 8, undefined],
      ['log', 'method', 7, 7, 'ServerOptions'],
      ['Handler', 'type', 10, 10, undefined],
      ['Method', 'enum', 12, 15, undefined],
      ['Server', 'class', 17, 29, undefined],
      ['route', 'method', 22, 24, 'Server'],
      ['start', 'method', 26, 28, 'Server'],
      ['createServer', 'function', 31, 37, undefined],
      ['handle', 'function', 39, 41, undefined],
    ]);
    const typescript = await signatures('src/server.ts', samples.TYPESCRIPT_FILE);
    // Parameters written one per line read as one line; the body is never part of it.
    assert.equal(typescript.createServer, 'export function createServer(options: ServerOptions): Server');
    assert.equal(typescript.handle, 'export const handle = async (request: Request): Promise<Response> =>');
    assert.equal(typescript['Server.route'], 'route(path: string, handler: Handler): void');
    assert.equal(typescript.Handler, 'export type Handler = (request: Request) => Promise<Response>');
  });

  it('TSX and JSX parse with their grammars', async () => {
    assert.deepEqual(await outline('greeting.tsx', samples.TSX_FILE), [
      ['Greeting', 'function', 3, 5, undefined],
      ['Farewell', 'function', 7, 7, undefined],
    ]);
    assert.deepEqual(await outline('app.jsx', samples.JSX_FILE), [
      ['App', 'function', 1, 3, undefined],
      ['Header', 'function', 5, 7, undefined],
    ]);
  });

  it('JavaScript (.js, .mjs, .cjs): functions, classes, methods, CommonJS exports; not functions inside calls', async () => {
    const expected = [
      ['readConfig', 'function', 4, 6, undefined],
      ['Cache', 'class', 8, 12, undefined],
      ['get', 'method', 9, 11, 'Cache'],
      ['load', 'function', 14, 16, undefined],
    ];
    for (const path of ['config.js', 'config.mjs', 'config.cjs']) assert.deepEqual(await outline(path, samples.JAVASCRIPT_FILE), expected, path);
  });

  it('Python: module functions (decorated too), classes, methods, capitalised constants; not nested functions', async () => {
    assert.deepEqual(await outline('items.py', samples.PYTHON_FILE), [
      ['MAX_ITEMS', 'const', 3, 3, undefined],
      ['list_items', 'function', 7, 10, undefined],
      ['Store', 'class', 13, 21, undefined],
      ['__init__', 'method', 16, 17, 'Store'],
      ['size', 'method', 20, 21, 'Store'],
    ]);
    const python = await signatures('items.py', samples.PYTHON_FILE);
    assert.equal(python.list_items, 'def list_items(limit: int = MAX_ITEMS) -> list');
    assert.equal(python['Store.size'], 'def size(self) -> int');
  });

  it('Rust: items at the root, trait and impl functions under their type; an inline test module is left out', async () => {
    assert.deepEqual(await outline('src/store.rs', samples.RUST_FILE), [
      ['LIMIT', 'const', 3, 3, undefined],
      ['Store', 'struct', 5, 7, undefined],
      ['Repository', 'trait', 9, 11, undefined],
      ['get', 'method', 10, 10, 'Repository'],
      ['Store', 'impl', 13, 17, undefined],
      ['get', 'method', 14, 16, 'Store'],
      ['open', 'function', 19, 21, undefined],
    ]);
    assert.equal((await signatures('src/store.rs', samples.RUST_FILE)).Store, 'impl Repository for Store');
  });

  it('C (parsed with the C++ grammar): macros, typedefs, functions; a prototype gives way to its definition', async () => {
    assert.deepEqual(await outline('list.c', samples.C_FILE), [
      ['MAX_LEN', 'macro', 4, 4, undefined],
      ['node_t', 'type', 6, 9, undefined],
      ['count', 'function', 13, 20, undefined],
      ['push', 'function', 22, 24, undefined],
    ]);
    const c = await signatures('list.c', samples.C_FILE);
    assert.equal(c.node_t, 'typedef struct node {…} node_t');
    assert.equal(c.push, 'node_t *push(node_t *head, int value)');
    // A header is its prototypes (inside an include guard, whose macro has no value).
    assert.deepEqual(await outline('list.h', samples.C_HEADER), [
      ['node_t', 'type', 4, 4, undefined],
      ['count', 'function', 6, 6, undefined],
      ['push', 'function', 7, 7, undefined],
    ]);
  });

  it('C++: classes and structs in namespaces, their methods, out-of-class methods with their scope, templates', async () => {
    assert.deepEqual(await outline('shapes.cpp', samples.CPP_FILE), [
      ['Shape', 'class', 5, 10, undefined],
      ['area', 'method', 8, 8, 'Shape'],
      ['name', 'method', 9, 9, 'Shape'],
      ['Point', 'struct', 12, 14, undefined],
      ['area', 'method', 16, 18, 'Circle'],
      ['largest', 'function', 23, 25, undefined],
    ]);
    assert.equal((await signatures('shapes.cpp', samples.CPP_FILE))['Circle.area'], 'double Circle::area() const');
  });

  it('Java: top-level types and their methods, annotations dropped from signatures; nested types left out', async () => {
    assert.deepEqual(await outline('ItemService.java', samples.JAVA_FILE), [
      ['ItemService', 'class', 5, 19, undefined],
      ['find', 'method', 9, 12, 'ItemService'],
      ['audit', 'method', 14, 14, 'ItemService'],
      ['Repository', 'interface', 21, 23, undefined],
      ['find', 'method', 22, 22, 'Repository'],
      ['Kind', 'enum', 25, 25, undefined],
    ]);
    const java = await signatures('ItemService.java', samples.JAVA_FILE);
    assert.equal(java.ItemService, 'public class ItemService implements Repository');
    assert.equal(java['ItemService.find'], 'public Item find(String id)');
  });

  it('other files have no symbols; a file that does not parse cleanly still gives what it can', async () => {
    assert.deepEqual(await definitionsOf('README.md', '# Title\n\nfunction notCode() {}\n'), []);
    assert.deepEqual(await definitionsOf('Makefile', 'all:\n\tgo build\n'), []);
    const broken = await outline('broken.go', 'package main\n\nfunc Good() {}\n\nfunc Broken( {\n');
    assert.deepEqual(broken[0], ['Good', 'function', 3, 3, undefined]);
  });

  it('gives up a parse that runs past its deadline', async () => {
    const large = Array.from({ length: 5000 }, (_, index) => `export function f${index}(a: number): number { return a + ${index}; }`).join('\n');
    assert.equal(await fileSymbols(large, 'typescript', Date.now() - 1), undefined);
    assert.equal((await fileSymbols(large, 'typescript'))?.definitions.length, 5000);
  });

  it('signatures are capped', async () => {
    const long = `export function wide(${Array.from({ length: 40 }, (_, index) => `parameter${index}: string`).join(', ')}): void {}\n`;
    const [definition] = await definitionsOf('wide.ts', long);
    assert.equal(definition.signature.length, 200);
    assert.ok(definition.signature.endsWith('…'));
  });
});
