// Which key or value of the YAML document an offset falls on, as a config path. Pure.
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { ConfigPath } from './schema-walk';

export interface NodeAtOffset {
  path: ConfigPath;
  target: 'key' | 'value';
  /** The range of the key or scalar value under the offset. */
  start: number;
  end: number;
}

function within(range: readonly number[] | null | undefined, offset: number): boolean {
  return !!range && offset >= range[0] && offset <= range[1];
}

export function nodeAtOffset(document: Document.Parsed, offset: number): NodeAtOffset | undefined {
  let node: unknown = document.contents;
  const path: (string | number)[] = [];
  for (let depth = 0; depth < 64; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((item) => {
        const keyRange = isScalar(item.key) ? item.key.range : undefined;
        const valueRange = (item.value as { range?: number[] } | null)?.range;
        return within(keyRange, offset) || within(valueRange, offset);
      });
      if (!pair || !isScalar(pair.key)) return undefined;
      path.push(String(pair.key.value));
      if (within(pair.key.range, offset)) {
        const [start, end] = pair.key.range ?? [offset, offset];
        return { path, target: 'key', start, end };
      }
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => within((item as { range?: number[] } | null)?.range, offset));
      if (index === -1) return undefined;
      path.push(index);
      node = node.items[index];
    } else if (isScalar(node) && node.range) {
      return { path, target: 'value', start: node.range[0], end: node.range[1] };
    } else {
      return undefined;
    }
  }
  return undefined;
}
