// `et run` inside an existing Go project: the workers are shown the files they change, answer with
// SEARCH/REPLACE edits, two of them edit one shared file in parallel, one edit that does not match is
// sent back with the file as it is and corrected — and every line nobody was asked to change is kept,
// and `go build` and `go vet` pass after.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { runOn } from '../helpers/existing-project';
import { editBlock, fileBlock } from '../helpers/fake-team';
import { requireTool } from '../helpers/require-tool';

const GO_MOD = 'module example.com/items\n\ngo 1.19\n';
const STORE = `package main

import "sync"

// Store keeps the items in memory.
type Store struct {
	mu    sync.Mutex
	items map[string]string
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{items: map[string]string{}}
}

// Put sets an item.
func (s *Store) Put(id, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.items[id] = name
}

// List returns every item.
func (s *Store) List() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for id, name := range s.items {
		out[id] = name
	}
	return out
}
`;
const HANDLER = `package main

import (
	"encoding/json"
	"net/http"
)

var store = NewStore()

// ListItems handles GET /items.
func ListItems(w http.ResponseWriter, r *http.Request) {
	_ = json.NewEncoder(w).Encode(store.List())
}

// CreateItem handles POST /items.
func CreateItem(w http.ResponseWriter, r *http.Request) {
	store.Put(r.URL.Query().Get("id"), r.URL.Query().Get("name"))
	w.WriteHeader(http.StatusCreated)
}
`;
const MAIN = `package main

import "net/http"

func main() {
	http.HandleFunc("/items", ListItems)
	http.HandleFunc("/items/new", CreateItem)
	_ = http.ListenAndServe(":8080", nil)
}
`;

const PLAN = `1. Add a Delete method to the Store in store.go, and a CountItems handler to handler.go. [files: store.go, handler.go]
2. Add a DeleteItem handler to handler.go, after CreateItem, and register /items/delete and /items/count in main.go. [files: handler.go, main.go]`;

// Subtask 1's first try copies CreateItem's comment wrongly: the SEARCH matches nowhere.
const DELETE_METHOD = editBlock('store.go', '// List returns every item.', '// Delete removes an item.\nfunc (s *Store) Delete(id string) {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\tdelete(s.items, id)\n}\n\n// List returns every item.', 'go');
const COUNT_WRONG = editBlock('handler.go', 'var store = newStore()', 'var store = newStore()\n\n// CountItems handles GET /items/count.\nfunc CountItems(w http.ResponseWriter, r *http.Request) {\n\t_ = json.NewEncoder(w).Encode(len(store.List()))\n}', 'go');
const COUNT = editBlock('handler.go', 'var store = NewStore()', 'var store = NewStore()\n\n// CountItems handles GET /items/count.\nfunc CountItems(w http.ResponseWriter, r *http.Request) {\n\t_ = json.NewEncoder(w).Encode(len(store.List()))\n}', 'go');
const DELETE_HANDLER = editBlock('handler.go', '\tstore.Put(r.URL.Query().Get("id"), r.URL.Query().Get("name"))\n\tw.WriteHeader(http.StatusCreated)\n}', '\tstore.Put(r.URL.Query().Get("id"), r.URL.Query().Get("name"))\n\tw.WriteHeader(http.StatusCreated)\n}\n\n// DeleteItem handles DELETE /items/delete.\nfunc DeleteItem(w http.ResponseWriter, r *http.Request) {\n\tstore.Delete(r.URL.Query().Get("id"))\n\tw.WriteHeader(http.StatusNoContent)\n}', 'go');
const ROUTES = editBlock('main.go', '\thttp.HandleFunc("/items/new", CreateItem)', '\thttp.HandleFunc("/items/new", CreateItem)\n\thttp.HandleFunc("/items/delete", DeleteItem)\n\thttp.HandleFunc("/items/count", CountItems)', 'go');

describe('et run on an existing Go project', function () {
  this.timeout(120_000);

  before(function () {
    requireTool(this, 'go', 'apt-get install golang-go');
  });

  const PROJECT = { 'go.mod': GO_MOD, 'store.go': STORE, 'handler.go': HANDLER, 'main.go': MAIN };

  it('edits the files in place: parallel edits of one file, a mismatch corrected, nothing else lost, and it builds', async () => {
    const { result, record, project, calls, read } = await runOn(PROJECT, ['Add a DELETE endpoint and an item count to the items service'], (call) => {
      switch (call.phase) {
        case 'decompose':
          return PLAN;
        case 'work':
          if (call.subtask === 1) return `I'll add the method and the handler.\n\n${DELETE_METHOD}\n\nAnd the count handler:\n\n${COUNT_WRONG}\n`;
          return `Here are the changes.\n\n${DELETE_HANDLER}\n\n${ROUTES}\n`;
        case 'validate':
          return `Sorry, I misread the constructor's name.\n\n${DELETE_METHOD}\n\n${COUNT}\n`;
        case 'review':
          return 'SCORE: 9\nREASON: Small, correct changes.\nFINDINGS: none';
        case 'coordinate':
          return 'Store methods are on *Store; handlers use the package-level store.';
        default:
          return 'Added DeleteItem and CountItems with their routes, and Store.Delete.';
      }
    });
    assert.equal(result.exitCode, 0, result.stderr);

    // The mayor saw the map; each worker saw its files as they were.
    assert.match(calls.find((call) => call.phase === 'decompose')?.user ?? '', /handler\.go[\s\S]*func ListItems/);
    const work1 = calls.find((call) => call.phase === 'work' && call.subtask === 1);
    assert.ok(work1?.user.includes(STORE) && work1.user.includes(HANDLER), 'subtask 1 was shown store.go and handler.go whole');
    assert.ok(calls.find((call) => call.phase === 'work' && call.subtask === 2)?.user.includes(MAIN), 'subtask 2 was shown main.go');
    // The edit that matched nowhere went back with the file as it is and the closest lines.
    const correction = calls.find((call) => call.phase === 'validate' && call.subtask === 1);
    assert.match(correction?.user ?? '', /handler\.go/);
    assert.ok(correction?.user.includes('var store = NewStore()'), 'the correction shows the current lines');

    const handler = read('handler.go');
    for (const kept of ['func ListItems', 'func CreateItem', 'func DeleteItem', 'func CountItems', '"encoding/json"']) assert.ok(handler.includes(kept), `handler.go has ${kept}`);
    assert.ok(handler.startsWith(HANDLER.slice(0, HANDLER.indexOf('var store'))), 'the imports are untouched');
    const store = read('store.go');
    assert.ok(store.includes('func (s *Store) Delete(id string)') && store.includes('func (s *Store) Put(') && store.includes('func (s *Store) List()'));
    assert.ok(read('main.go').includes('"/items/delete", DeleteItem'));
    execFileSync('go', ['build', './...'], { cwd: project });
    execFileSync('go', ['vet', './...'], { cwd: project });

    assert.equal(record.status, 'succeeded');
    const shared = record.changes?.find((change) => change.path === 'handler.go');
    assert.deepEqual([...(shared?.subtasks ?? [])].sort(), [1, 2], 'handler.go was changed by both subtasks');
    assert.equal(shared?.created, false);
    assert.deepEqual(record.subtasks[0].plannedFiles, ['store.go', 'handler.go']);
    assert.deepEqual(record.subtasks[0].context?.filter((file) => file.kind === 'whole').map((file) => file.path), ['store.go', 'handler.go']);
    assert.ok((record.project?.files ?? 0) >= 4 && (record.project?.mapTokens ?? 0) > 0);
  });

  it('fails a subtask whose answer changes nothing, and sends a whole-file rewrite that drops code back for edits', async () => {
    // The rewrite keeps only DeleteItem: ListItems and CreateItem would be lost.
    const rewrite = fileBlock('handler.go', 'package main\n\nimport "net/http"\n\nvar store = NewStore()\n\nfunc DeleteItem(w http.ResponseWriter, r *http.Request) {}\n');
    const { result, project, calls, read } = await runOn(PROJECT, ['--no-coordinate', 'Add DeleteItem'], (call) => {
      if (call.phase === 'decompose') return '1. Add DeleteItem to handler.go [files: handler.go]\n2. Explain the routes in main.go [files: main.go]';
      if (call.phase === 'work' && call.subtask === 1) return `Here is the new handler.go:\n\n${rewrite}`;
      if (call.phase === 'validate' && call.subtask === 1) return `Right, as an edit:\n\n${DELETE_HANDLER.replace('store.Delete(r.URL.Query().Get("id"))', '_ = r')}`;
      if (call.subtask === 2 && (call.phase === 'work' || call.phase === 'validate')) return 'main.go registers the routes with http.HandleFunc; nothing needs to change.';
      if (call.phase === 'review') return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
      return 'Done.';
    });
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(calls.find((call) => call.phase === 'validate' && call.subtask === 1)?.user ?? '', /drops what it defines: ListItems, CreateItem/);
    const handler = read('handler.go');
    assert.ok(handler.includes('func ListItems') && handler.includes('func CreateItem') && handler.includes('func DeleteItem'));
    assert.equal(read('main.go'), MAIN);
    assert.match(result.stderr, /subtasks? did not finish: 2 \(failed: the answer changes no file/);
    execFileSync('go', ['build', './...'], { cwd: project });
  });

  it('with --iterate, an edited file’s errors go to the subtask that edited it, and a file nobody touched to the general fixer with the run’s diff', async () => {
    const rename = editBlock('store.go', '// NewStore returns an empty store.\nfunc NewStore() *Store {', '// NewItemStore returns an empty store.\nfunc NewItemStore() *Store {', 'go');
    const size = editBlock('store.go', '// List returns every item.', '// Size counts the items.\nfunc (s *Store) Size() int {\n\treturn len(s.item)\n}\n\n// List returns every item.', 'go');
    const { result, record, project, calls } = await runOn(PROJECT, ['--no-coordinate', '--iterate', 'Rename NewStore to NewItemStore and add Store.Size'], (call) => {
      if (call.phase === 'decompose') return '1. In store.go, rename NewStore to NewItemStore and add a Size method. [files: store.go]';
      if (call.phase === 'work') return `${rename}\n\n${size}`;
      if (call.phase === 'fix' && call.subtask === 1) return editBlock('store.go', '\treturn len(s.item)', '\treturn len(s.items)', 'go');
      if (call.phase === 'fix') return editBlock('handler.go', 'var store = NewStore()', 'var store = NewItemStore()', 'go');
      if (call.phase === 'review') return 'SCORE: 8\nREASON: Fine.\nFINDINGS: none';
      return 'Renamed.';
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const ownerFix = calls.find((call) => call.phase === 'fix' && call.subtask === 1);
    assert.match(ownerFix?.user ?? '', /store\.go:\d+(:\d+)?: s\.item undefined/);
    const generalFix = calls.find((call) => call.phase === 'fix' && call.subtask === undefined);
    assert.match(generalFix?.user ?? '', /handler\.go:\d+(:\d+)?: undefined: NewStore/);
    assert.match(generalFix?.user ?? '', /What this run changed \(a diff\)[^\n]*\n```diff\n--- a\/store\.go\n\+\+\+ b\/store\.go\n[\s\S]*\n-func NewStore\(\) \*Store \{\n[\s\S]*\n\+func NewItemStore\(\) \*Store \{\n/);
    assert.equal(record.build?.status, 'passed');
    execFileSync('go', ['build', './...'], { cwd: project });
  });
});
