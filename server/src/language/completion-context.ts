// Where the cursor is in a config that may be half-typed: at a key (and under which parents) or at a
// value (of which key, inside a list or not). Read from indentation, not from the parser, because
// while someone types the YAML is usually broken. Pure.

export type CompletionContext =
  | { kind: 'key'; parentPath: string[]; prefix: string; replaceStart: number; indent: number }
  | { kind: 'value'; path: string[]; prefix: string; replaceStart: number; inList: boolean };

const KEY_LINE = /^( *)(- +)?("[^"]*"|'[^']*'|[^\s:#'"[\]{},](?:[^:#\n]*[^\s:#])?) *:(?:\s(.*))?$/;
/** No key line is this long; skipping longer lines keeps the patterns linear in practice. */
const LONGEST_LINE = 500;

function unquote(key: string): string {
  return /^(["']).*\1$/.test(key) ? key.slice(1, -1) : key;
}

/** The keys of the mappings that enclose a line with the given indentation. */
function parentKeys(lines: readonly string[], lineNumber: number, indent: number, sameIndentParent: boolean): string[] | undefined {
  const path: string[] = [];
  let limit = indent;
  let allowSameIndent = sameIndentParent;
  for (let index = lineNumber - 1; index >= 0 && (limit > 0 || allowSameIndent); index--) {
    const line = lines[index];
    if (line.length > LONGEST_LINE || /^\s*(#.*)?$/.test(line)) continue;
    const match = KEY_LINE.exec(line);
    if (!match) continue;
    const keyIndent = match[1].length + (match[2]?.length ?? 0);
    const hasInlineValue = match[4] !== undefined && !/^\s*(#.*)?$/.test(match[4]);
    if (keyIndent < limit || (allowSameIndent && keyIndent === limit && !hasInlineValue)) {
      // A parent written inline (`roles: {…}`) is beyond what indentation can tell.
      if (hasInlineValue) return undefined;
      path.unshift(unquote(match[3]));
      limit = keyIndent;
      allowSameIndent = false;
    }
  }
  return path;
}

export function completionContextAt(text: string, offset: number): CompletionContext | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const linePrefix = text.slice(lineStart, offset);
  if (linePrefix.length > LONGEST_LINE || /(^|\s)#/.test(linePrefix)) return undefined;
  const lines = text.slice(0, lineStart).split('\n');
  const lineNumber = lines.length - 1;

  const valueMatch = /^( *)(- +)?("[^"]*"|'[^']*'|[^\s:#'"[\]{},](?:[^:#]*[^\s:#])?) *: +(.*)$/.exec(linePrefix);
  if (valueMatch) {
    const indent = valueMatch[1].length + (valueMatch[2]?.length ?? 0);
    const parents = parentKeys(lines, lineNumber, indent, false);
    if (!parents) return undefined;
    const value = valueMatch[4];
    const inList = value.startsWith('[');
    const prefix = (inList ? value.slice(Math.max(value.lastIndexOf('['), value.lastIndexOf(',')) + 1) : value).trimStart().replace(/^["']/, '');
    return { kind: 'value', path: [...parents, unquote(valueMatch[3])], prefix, replaceStart: offset - prefix.length, inList };
  }

  const keyMatch = /^( *)(- +)?([^\s:#'"[\]{},][^:#]*)?$/.exec(linePrefix);
  if (!keyMatch) return undefined;
  const prefix = keyMatch[3] ?? '';
  if (keyMatch[2] !== undefined) {
    // `- item` under `fallbacks:` may sit at the same indentation as its key.
    const path = parentKeys(lines, lineNumber, keyMatch[1].length, true);
    return path ? { kind: 'value', path, prefix, replaceStart: offset - prefix.length, inList: true } : undefined;
  }
  const parentPath = parentKeys(lines, lineNumber, keyMatch[1].length, false);
  return parentPath ? { kind: 'key', parentPath, prefix, replaceStart: offset - prefix.length, indent: keyMatch[1].length } : undefined;
}
