// The YAML diagnostics block under a TAP test point (`  ---` … `  ...`), read as flat `key: value` pairs —
// all that test runners put there. Values are plain, quoted (`'it''s'`, `"a\nb"`) or block scalars
// (`|-` / `>-`, lines indented deeper than the key). Nested mappings are kept as their raw lines.

/** Lines of one value kept at most: a stack needs a few dozen, a huge diff does not need the rest. */
const MAX_VALUE_LINES = 60;

export interface YamlBlock {
  fields: Map<string, string>;
  /** Index of the block's last line (`...`), or of the last line read when it never ends. */
  end: number;
}

const KEY = /^(\s*)([\w-]+):(?: (.*))?$/;

/** Reads the block whose `---` line is at `start`; undefined when that line does not open one. */
export function readYamlBlock(lines: readonly string[], start: number): YamlBlock | undefined {
  const open = /^(\s*)---\s*$/.exec(lines[start] ?? '');
  if (!open) return undefined;
  const indent = open[1].length;
  const fields = new Map<string, string>();
  let index = start + 1;
  for (; index < lines.length; index++) {
    const line = lines[index];
    const lineIndent = line.length - line.trimStart().length;
    if (line.trim() === '...' && lineIndent === indent) return { fields, end: index };
    if (line.trim() !== '' && lineIndent < indent) break;
    const key = KEY.exec(line);
    if (!key || key[1].length !== lineIndent) continue;
    const raw = (key[3] ?? '').trim();
    if (/^[|>][-+]?$/.test(raw) || raw === '') {
      const value: string[] = [];
      while (index + 1 < lines.length && isDeeper(lines[index + 1], lineIndent)) {
        index++;
        if (value.length < MAX_VALUE_LINES) value.push(lines[index]);
      }
      fields.set(key[2], dedent(value).join(raw.startsWith('>') ? ' ' : '\n').trimEnd());
    } else {
      fields.set(key[2], unquote(raw));
    }
  }
  return { fields, end: index - 1 };
}

function isDeeper(line: string, indent: number): boolean {
  return line.trim() === '' || line.length - line.trimStart().length > indent;
}

function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((line) => line.trim() !== '').map((line) => line.length - line.trimStart().length);
  const shift = indents.length === 0 ? 0 : Math.min(...indents);
  return lines.map((line) => line.slice(shift));
}

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    try {
      return String(JSON.parse(raw));
    } catch {
      return raw.slice(1, -1);
    }
  }
  return raw === '~' ? '' : raw;
}
