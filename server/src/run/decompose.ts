// The mayor's plan → subtasks. Models write lists many ways: `1.`, `1)`, `-`, `*`, `•`, with
// emphasis, with continuation lines and nested bullets under an item, with a preamble and a closing
// remark. Markers `[depends: 1,3]`, `[specialist: name]` and `[files: a.go, pkg/b.go]` are read and
// removed from what the worker sees. A specialist name within two edits of a configured one is taken, with a warning. Pure.
import { editDistance } from '../config/suggest';

export interface Subtask {
  /** 1-based position in the plan; what `[depends: …]` refers to. */
  index: number;
  text: string;
  dependsOn: number[];
  specialist: string | undefined;
  /** The files it reads or writes, as the plan's `[files: …]` names them (paths as written). */
  files: string[];
}

export interface Plan {
  subtasks: Subtask[];
  warnings: string[];
}

export interface PlanOptions {
  /** Names under `specialists` in the config. */
  specialists: readonly string[];
  maxSubtasks: number;
  /** The first subtask's number (1 unless a follow-up round's plan, numbered on from the run's last). */
  firstIndex?: number;
}

export class EmptyPlanError extends Error {
  constructor() {
    super('the mayor returned no subtasks (expected a numbered or bulleted list)');
    this.name = 'EmptyPlanError';
  }
}

const ITEM = /^(\s*)(?:\d{1,3}[.)]|[-*•+])\s+(.*)$/;
const DEPENDS = /\[\s*depends(?:\s+on)?\s*:\s*([^\]]*)\]/gi;
const SPECIALIST = /\[\s*specialist\s*:\s*([^\]]*)\]/gi;
const FILES = /\[\s*files?\s*:\s*([^\]]*)\]/gi;
const MAX_SPECIALIST_EDITS = 2;

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].replace(/\t/g, '    ').length ?? 0;
}

/** `**bold**`, `__bold__`, `*it*`, `_it_` → plain; code spans are kept. */
function stripEmphasis(text: string): string {
  return text
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])([*_])(\S(?:.*?\S)?)\2(?=[\s).,:;!?]|$)/g, '$1$3')
    .trim();
}

interface RawItem {
  lines: string[];
}

/** Items of the list, each with its continuation lines; text before the first item is dropped. */
function listItems(answer: string): RawItem[] {
  const lines = answer.replace(/\r\n?/g, '\n').split('\n');
  const items: RawItem[] = [];
  let topIndent: number | undefined;
  let afterBlank = false;
  for (const line of lines) {
    if (line.trim() === '') {
      afterBlank = true;
      continue;
    }
    const item = ITEM.exec(line);
    const indent = indentOf(line);
    if (item && (topIndent === undefined || indent <= topIndent)) {
      topIndent ??= indent;
      items.push({ lines: [item[2]] });
      afterBlank = false;
      continue;
    }
    const current = items.at(-1);
    // Indented lines (nested bullets, wrapped text) belong to the item above; an unindented line right
    // under it does too. After a blank line, unindented prose is the mayor's closing remark.
    if (current && (indent > (topIndent ?? 0) || !afterBlank)) current.lines.push(line.trim());
    afterBlank = false;
  }
  return items;
}

function parseDependencies(values: string): number[] {
  if (/^\s*(none|-)?\s*$/i.test(values)) return [];
  return values
    .split(/[\s,;]+|and/)
    .map((value) => value.replace(/^#|^(?:subtask|task|step)\s*/i, ''))
    .filter((value) => value !== '')
    .map(Number);
}

/** `a.go, \`pkg/b.go\` and "c.go"` → the paths, unquoted; `none` or `-` → none. */
function parseFiles(values: string): string[] {
  if (/^\s*(none|-)?\s*$/i.test(values)) return [];
  return values
    .split(/\s*,\s*|\s+and\s+|\s+/)
    .map((value) => value.trim().replace(/^[`'"]+|[`'"]+$/g, ''))
    .filter((value) => value !== '');
}

function matchSpecialist(name: string, specialists: readonly string[], warnings: string[], index: number): string | undefined {
  const wanted = name.trim();
  if (wanted === '') return undefined;
  const exact = specialists.find((candidate) => candidate.toLowerCase() === wanted.toLowerCase());
  if (exact) return exact;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of specialists) {
    const distance = editDistance(wanted.toLowerCase(), candidate.toLowerCase());
    if (distance <= MAX_SPECIALIST_EDITS && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  if (best) {
    warnings.push(`subtask ${index}: specialist "${wanted}" taken as "${best.name}"`);
    return best.name;
  }
  warnings.push(`subtask ${index}: no specialist "${wanted}"${specialists.length ? ` (there are: ${specialists.join(', ')})` : ''}; the polecat role does it`);
  return undefined;
}

export function parsePlan(answer: string, options: PlanOptions): Plan {
  const warnings: string[] = [];
  let items = listItems(answer);
  if (items.length === 0) throw new EmptyPlanError();
  if (items.length > options.maxSubtasks) {
    warnings.push(`the mayor planned ${items.length} subtasks; the first ${options.maxSubtasks} are kept (--max-subtasks)`);
    items = items.slice(0, options.maxSubtasks);
  }
  const first = options.firstIndex ?? 1;
  const subtasks = items.map((item, position): Subtask => {
    const index = position + first;
    let text = item.lines.join('\n');
    const dependsOn: number[] = [];
    const files: string[] = [];
    let specialist: string | undefined;
    text = text.replace(DEPENDS, (_, values: string) => {
      dependsOn.push(...parseDependencies(values));
      return '';
    });
    text = text.replace(SPECIALIST, (_, name: string) => {
      specialist = matchSpecialist(name, options.specialists, warnings, index) ?? specialist;
      return '';
    });
    text = text.replace(FILES, (_, values: string) => {
      files.push(...parseFiles(values));
      return '';
    });
    return { index, text: stripEmphasis(text.replace(/[ \t]{2,}/g, ' ').replace(/\s+$/gm, '')), dependsOn, specialist, files: [...new Set(files)] };
  });
  for (const subtask of subtasks) {
    subtask.dependsOn = [...new Set(subtask.dependsOn)].filter((dependency) => {
      const valid = Number.isInteger(dependency) && dependency >= first && dependency < first + subtasks.length && dependency !== subtask.index;
      if (!valid) warnings.push(`subtask ${subtask.index}: ignored a dependency on ${Number.isNaN(dependency) ? 'something that is not a subtask number' : `subtask ${dependency}`}`);
      return valid;
    });
  }
  for (const subtask of subtasks) if (subtask.text === '') warnings.push(`subtask ${subtask.index} says nothing but its markers`);
  return { subtasks, warnings };
}
