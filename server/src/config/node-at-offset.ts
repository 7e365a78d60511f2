// Which key or value of the YAML document an offset falls on, as a config path. Pure.
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { ConfigPath } from './schema-walk';

export interface NodeAtOffset {
  path: ConfigPath;
  target: 'key' | 'value';
  /** The range of the key or scalar value under the offset. */
  start: number;
  end: number;
  /** The scalar's value (a quoted or folded scalar's text without its quoting). */
  value: unknown;
}

/**
 * Scalars include their end (a cursor just after a word is on it); collections do not, so the
 * first column of the next key is not inside the mapping before it.
 */
function within(node: unknown, offset: number): boolean {
  const range = (node as { range?: readonly number[] | null } | null)?.range;
  if (!range) return false;
  return offset >= range[0] && (isScalar(node) ? offset <= range[1] : offset < range[1]);
}

export function nodeAtOffset(document: Document.Parsed, offset: number): NodeAtOffset | undefined {
  let node: unknown = document.contents;
  const path: (string | number)[] = [];
  for (let depth = 0; depth < 64; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((item) => (isScalar(item.key) && within(item.key, offset)) || within(item.value, offset));
      if (!pair || !isScalar(pair.key)) return undefined;
      path.push(String(pair.key.value));
      if (within(pair.key, offset)) {
        const [start, end] = pair.key.range ?? [offset, offset];
        return { path, target: 'key', start, end, value: pair.key.value };
      }
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => within(item, offset));
      if (index === -1) return undefined;
      path.push(index);
      node = node.items[index];
    } else if (isScalar(node) && node.range) {
      return { path, target: 'value', start: node.range[0], end: node.range[1], value: node.value };
    } else {
      return undefined;
    }
  }
  return undefined;
}
