// The run view's script (media/transcript.js) on a small stand-in for the webview's DOM: the streamed
// text it shows from the extension's posts (appended, or replaced by a cut tail), streams going when
// their subtask or the run ends; and that it measures and sends nothing more unless asked to measure.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';

interface Node {
  tag: string;
  id?: string;
  textContent: string;
  children: Node[];
  parent?: Node;
}

function element(tag: string): Node & Record<string, unknown> {
  const node = { tag, textContent: '', children: [] as Node[] } as Node & Record<string, unknown>;
  node.setAttribute = (name: string, value: string) => (name === 'id' ? (node.id = value) : undefined);
  node.append = (...children: (Node | string)[]) => {
    for (const child of children) if (typeof child !== 'string') node.children.push(Object.assign(child, { parent: node }));
  };
  node.remove = () => node.parent && (node.parent.children = node.parent.children.filter((child) => child !== node));
  node.addEventListener = () => undefined;
  node.getBoundingClientRect = () => ({ top: 0 });
  return node;
}

/** Starts the script; gives the live-stream section, a way to post to it, and what it posted back. */
function start(measure: boolean) {
  const nodes = Object.fromEntries(['run', 'entries', 'live', 'notice', 'sentinel'].map((id) => [id, element(id)]));
  const posted: { type: string }[] = [];
  let onMessage: (event: { data: unknown }) => void = () => undefined;
  runInNewContext(readFileSync(path.join(__dirname, '..', '..', '..', 'media', 'transcript.js'), 'utf8'), {
    acquireVsCodeApi: () => ({ postMessage: (message: { type: string }) => posted.push(message) }),
    document: { getElementById: (id: string) => nodes[id], createElement: element, body: { hasAttribute: (name: string) => measure && name === 'data-measure', getBoundingClientRect: () => ({}) } },
    window: { addEventListener: (type: string, listener: typeof onMessage) => (type === 'message' ? (onMessage = listener) : undefined), innerHeight: 800 },
    performance,
    requestAnimationFrame: () => 0,
  });
  const live = nodes.live;
  const shown = () => Object.fromEntries(live.children.map((section) => [section.id, section.children[1].textContent]));
  return { post: (data: unknown) => onMessage({ data }), posted, shown };
}

const stream = (deltas: { subtask: number; text: string; cut?: true }[], ended: number[] | 'all' = [], restarts: number[] = []) => ({ type: 'stream', deltas, restarts, ended });

describe('the run view script', () => {
  it('appends streamed text, replaces it with a cut tail, and drops a stream when its subtask or the run ends', () => {
    const view = start(false);
    view.post(stream([{ subtask: 1, text: 'abc' }, { subtask: 2, text: 'x' }]));
    view.post(stream([{ subtask: 1, text: 'def' }]));
    assert.deepEqual(view.shown(), { 'live-1': 'abcdef', 'live-2': 'x' });
    view.post(stream([{ subtask: 2, text: 'the end', cut: true }], [1]));
    assert.deepEqual(view.shown(), { 'live-2': '…the end' });
    view.post(stream([], [], [2]));
    view.post(stream([{ subtask: 2, text: 'again' }]));
    assert.deepEqual(view.shown(), { 'live-2': 'again' });
    view.post(stream([], 'all'));
    assert.deepEqual(view.shown(), {});
  });

  it('measures nothing and answers no ping unless asked to measure', () => {
    const plain = start(false);
    plain.post({ type: 'ping' });
    plain.post({ type: 'timings' });
    assert.deepEqual(plain.posted.map((message) => message.type).filter((type) => type !== 'rendered'), ['ready']);

    const measured = start(true);
    measured.post(stream([{ subtask: 1, text: 'abc' }]));
    measured.post({ type: 'ping' });
    measured.post({ type: 'timings' });
    const [pong, timings] = measured.posted.filter((message) => message.type === 'pong' || message.type === 'timings') as [{ type: string }, { type: string; samples: Record<string, number[]> }];
    assert.equal(pong.type, 'pong');
    assert.deepEqual(Object.keys(timings.samples), ['stream']);
    assert.equal(timings.samples.stream.length, 1);
  });
});
