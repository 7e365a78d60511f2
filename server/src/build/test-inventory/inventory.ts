// What a test file holds, as each language's reader finds it, and the summary the before/after
// comparison works on: tests by full name, how many of them are skipped, their assertions. Pure.

/** A test or a group of tests (a describe block, a test class, a module) as declared in the file. */
export interface Declared {
  name: string;
  kind: 'test' | 'suite';
  /** Offsets of the declaration and of the end of its body. */
  start: number;
  end: number;
  /** How it is skipped where it is declared (`.skip`, `@Disabled`, `#[ignore]`…). */
  skip?: string;
  /** How it is focused so that the file's other tests do not run (`.only`, `fit`). */
  only?: string;
}

/** A language reader's findings in one file. */
export interface Found {
  declared: Declared[];
  /** Offsets of assertion calls. */
  assertions: number[];
  /** Skips inside bodies (`t.Skip()`, `self.skipTest()`), or at the top of the file. */
  skipCalls: { offset: number; marker: string }[];
  /** The file holds nothing but comments and blanks. */
  blank: boolean;
}

export interface TestSummary {
  /** Tests by that name (names repeat across groups in some frameworks). */
  count: number;
  skipped: number;
  assertions: number;
  markers: string[];
}

export interface Summary {
  tests: Map<string, TestSummary>;
  suites: Map<string, TestSummary>;
  onlies: Map<string, string>;
  total: number;
  /** Tests that run: not skipped themselves nor inside a skipped group. */
  active: number;
  assertions: number;
  /** Skips that hold for the whole file (pytestmark, a module-level pytest.skip). */
  fileSkips: string[];
  blank: boolean;
}

const innermost = (items: readonly Declared[], offset: number): Declared | undefined =>
  items.filter((item) => item.start <= offset && offset <= item.end).sort((a, b) => b.start - a.start)[0];

const entry = (map: Map<string, TestSummary>, name: string): TestSummary => {
  let found = map.get(name);
  if (!found) map.set(name, (found = { count: 0, skipped: 0, assertions: 0, markers: [] }));
  return found;
};

/** Full names (groups joined by `separator`), skips and assertions attributed to the innermost declaration. */
export function summarize(found: Found, separator: string): Summary {
  const suites = found.declared.filter((item) => item.kind === 'suite');
  const tests = found.declared.filter((item) => item.kind === 'test');
  const containing = (item: Declared) => suites.filter((suite) => suite !== item && suite.start < item.start && item.start <= suite.end).sort((a, b) => a.start - b.start);
  const fullName = (item: Declared) => [...containing(item).map((suite) => suite.name), item.name].join(separator);
  const skips = new Map<Declared, string[]>(found.declared.map((item) => [item, item.skip ? [item.skip] : []]));
  const fileSkips: string[] = [];
  for (const call of found.skipCalls) {
    const owner = innermost(found.declared, call.offset);
    if (owner) skips.get(owner)?.push(call.marker);
    else fileSkips.push(call.marker);
  }
  const summary: Summary = { tests: new Map(), suites: new Map(), onlies: new Map(), total: tests.length, active: 0, assertions: found.assertions.length, fileSkips, blank: found.blank };
  for (const item of found.declared) {
    const name = fullName(item);
    const target = entry(item.kind === 'test' ? summary.tests : summary.suites, name);
    const itemSkips = skips.get(item) ?? [];
    target.count++;
    if (itemSkips.length > 0) target.skipped++;
    target.markers.push(...itemSkips);
    if (item.only) summary.onlies.set(name, item.only);
    if (item.kind === 'test' && itemSkips.length === 0 && !containing(item).some((suite) => (skips.get(suite) ?? []).length > 0)) summary.active++;
  }
  for (const offset of found.assertions) {
    const owner = innermost(tests, offset);
    if (owner) entry(summary.tests, fullName(owner)).assertions++;
  }
  return summary;
}
