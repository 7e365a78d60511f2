// The Costs view's script (media/costs.js), run on a small stand-in for the webview's DOM: what it shows
// of a snapshot the extension posts — the total, and what the prompt cache served and saved.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { costsDisplay } from '../../../client/src/costs/costs-model';
import type { CostRow } from '../../../server/src/protocol';

interface Node {
  tag: string;
  attributes: Record<string, string>;
  children: (Node | string)[];
  style: Record<string, string>;
}

function element(tag: string): Node & Record<string, unknown> {
  const node = { tag, attributes: {}, children: [], style: {} } as Node & Record<string, unknown>;
  node.setAttribute = (name: string, value: string) => (node.attributes[name] = value);
  node.append = (...children: (Node | string)[]) => node.children.push(...children);
  node.replaceChildren = () => (node.children = []);
  node.addEventListener = (type: string, listener: () => void) => (node[`on${type}`] = listener);
  return node;
}

const textOf = (node: Node | string): string => (typeof node === 'string' ? node : node.children.map(textOf).join(''));
const linesOf = (node: Node): string[] => node.children.map(textOf);

/** Runs the script, posts `data` to it as the extension does, and gives back what it drew. */
function draw(data: unknown, posted: unknown[] = []): Node {
  const root = element('main');
  let onMessage: ((event: { data: unknown }) => void) | undefined;
  runInNewContext(readFileSync(path.join(__dirname, '..', '..', '..', 'media', 'costs.js'), 'utf8'), {
    acquireVsCodeApi: () => ({ getState: () => undefined, setState: () => undefined, postMessage: (message: unknown) => posted.push(message) }),
    document: { getElementById: () => root, createElement: element },
    window: { addEventListener: (_type: string, listener: typeof onMessage) => (onMessage = listener) },
  });
  onMessage?.({ data: { type: 'costs', data } });
  return root;
}

function row(overrides: Partial<CostRow>): CostRow {
  return { key: 'total', attempts: 9, answered: 9, inputTokens: 61_500, cachedInputTokens: 40_000, cacheWriteTokens: 20_000, cachedShare: 40_000 / 61_500, outputTokens: 300, usd: 0.096, cacheSavedUsd: 0.093, unpricedAttempts: 0, estimatedAttempts: 0, ...overrides };
}

const snapshot = (total: CostRow) => ({ ledger: '/logs/ledger.jsonl', readAt: 0, periods: [{ key: 'today', label: 'Today', total, by: { role: [{ ...total, key: 'polecat' }], provider: [], model: [] } }] });

describe('the Costs view script', () => {
  it('shows the share of input the prompt cache served and what it saved against no caching', () => {
    const lines = linesOf(draw(snapshot(row({}))));
    assert.ok(lines.includes('65% of input from the prompt cache · saved $0.09 ($0.19 without it)'), lines.join('\n'));
  });

  it('says when writes not read back yet cost more, and says nothing of a cache that was not used', () => {
    assert.ok(linesOf(draw(snapshot(row({ cachedInputTokens: 0, cachedShare: 0, cacheSavedUsd: -0.015 })))).includes('0% of input from the prompt cache · $0.01 more, for writes not read back yet'));
    const plain = linesOf(draw(snapshot(row({ cachedInputTokens: 0, cacheWriteTokens: 0, cachedShare: 0, cacheSavedUsd: 0 }))));
    assert.ok(plain.every((line) => !line.includes('cache')), JSON.stringify(plain));
  });

  it('welcomes a workspace without a config or without calls, with the next step, instead of an error or $0 charts', () => {
    const posted: unknown[] = [];
    for (const [state, text, button] of [
      ['no-config', 'No electrictown.yaml in this workspace yet.', 'Create Config'],
      ['no-calls', 'No model calls yet.', 'Run Task'],
    ]) {
      const root = draw({ empty: state }, posted);
      const lines = linesOf(root);
      assert.equal(lines[0], text);
      assert.equal(lines[2], button);
      assert.ok(lines.every((line) => !line.includes('$')), lines.join('\n'));
      (root.children[2] as Node & { onclick: () => void }).onclick();
    }
    // The buttons ask the extension to run their command (which it runs only from its own short list).
    assert.deepEqual(JSON.parse(JSON.stringify(posted)).filter((message: { type: string }) => message.type === 'command'), [
      { type: 'command', command: 'electrictown.createConfig' },
      { type: 'command', command: 'electrictown.runTask' },
    ]);
  });
});

describe('the Costs view’s choice of state', () => {
  const period = (key: 'today' | 'all', attempts: number) => ({ key, label: key, total: row({ attempts }), by: { role: [], provider: [], model: [] } });
  it('is empty only when the ledger holds no call at all', () => {
    assert.deepEqual(costsDisplay({ ledger: '/l', readAt: 0, periods: [period('today', 0), period('all', 0)] }), { empty: 'no-calls' });
    const older = { ledger: '/l', readAt: 0, periods: [period('today', 0), period('all', 3)] };
    assert.equal(costsDisplay(older), older);
  });
});
