// What a run shows its models of the project: the map (the mayor gets it ranked towards the task; a
// worker gets the part around its files), the current content of the files a subtask touches, and the
// `--context` material everyone is shown. Files are read through the working copy, so a worker that
// depends on another sees that one's changes. Large files are cut to the definitions the subtask names
// plus an outline; budgets are in characters, about four to a token.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { WorkingCopy } from '../edits/working-copy';
import { buildProjectIndex, enclosingDefinitions, mapForFiles, mentionsIn, rankFiles, renderMap } from '../project-map';
import type { ProjectIndex } from '../project-map/types';
import { formatContextFiles, type ContextFile } from './context-block';
import { selectContextFiles } from './context-paths';
import { filesOfSubtask } from './subtask-files';

/** A file shown whole up to this size; larger ones as the parts the subtask names and an outline. */
export const WHOLE_FILE_CHARS = 48_000;
/** All the files of one prompt, at most (about 40k tokens). */
export const FILES_BUDGET_CHARS = 160_000;
/** The map a worker gets beside its files. */
export const WORKER_MAP_TOKENS = 1024;

/** What was sent, for the run record: each file and how. */
export interface SentFile {
  path: string;
  kind: ContextFile['kind'] | 'left-out';
  chars: number;
}

export interface Material {
  /** Prompt sections, in order; empty when there is nothing to show. */
  sections: string[];
  sent: SentFile[];
}

/** The map's cache file for a project, in the log folder (which several projects may share). */
export function mapCacheFile(logDirectory: string, root: string): string {
  return path.join(logDirectory, `map-cache-${createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 12)}.json`);
}

export interface RunContextOptions {
  root: string;
  logDirectory: string;
  /** `--context` patterns. */
  patterns: readonly string[];
  mapTokens: number;
  signal?: AbortSignal;
}

export class RunContext {
  private constructor(
    readonly index: ProjectIndex,
    /** `--context` files, resolved. */
    readonly contextFiles: readonly string[],
    readonly warnings: readonly string[],
    private readonly options: RunContextOptions,
  ) {}

  static async open(options: RunContextOptions, exists: (relative: string) => boolean): Promise<RunContext> {
    const warnings: string[] = [];
    let index: ProjectIndex;
    if (!existsSync(options.root)) {
      // A run into a folder that does not exist yet: a new project, nothing to map.
      index = emptyIndex(options.root, []);
    } else {
      try {
        index = await buildProjectIndex({ root: options.root, cacheFile: mapCacheFile(options.logDirectory, options.root), exclude: [options.logDirectory], signal: options.signal });
      } catch (error) {
        options.signal?.throwIfAborted();
        // Without a map the workers still see their files; the plan is made blind, and the user is told.
        const reason = `the project could not be mapped: ${error instanceof Error ? error.message : String(error)}`;
        warnings.push(reason);
        index = emptyIndex(options.root, [reason]);
      }
    }
    const selection = selectContextFiles(options.patterns, index.files.map((file) => file.path), exists);
    warnings.push(...selection.unmatched.map((pattern) => `--context ${pattern} matches no file in ${options.root}`));
    return new RunContext(index, selection.files, warnings, options);
  }

  get projectFiles(): string[] {
    return this.index.files.map((file) => file.path);
  }

  /** The map for the mayor, ranked towards what the task names (and the --context files). */
  mayorMap(task: string): string | undefined {
    return this.taskMap(task, this.options.mapTokens);
  }

  /** The map every worker of a run is shown alike: ranked as the mayor's, at a worker's map budget. */
  workersMap(task: string): string | undefined {
    return this.taskMap(task, Math.min(WORKER_MAP_TOKENS, this.options.mapTokens));
  }

  private taskMap(task: string, tokens: number): string | undefined {
    if (tokens === 0 || this.index.files.length === 0) return undefined;
    const focus = mentionsIn(task, this.index);
    return renderMap(this.index, rankFiles(this.index, { files: [...new Set([...focus.files, ...this.contextFiles])], identifiers: focus.identifiers }), tokens, focus.identifiers);
  }

  /** The files a subtask touches: planned ones, then project files its text names. */
  filesOf(planned: readonly string[], text: string): string[] {
    return filesOfSubtask(planned, text, this.projectFiles);
  }

  /** The `--context` material as a prompt section, read through the working copy. */
  async contextMaterial(copy: WorkingCopy, focusText: string): Promise<Material> {
    return this.filesMaterial('Context the user gave, as it is now:', this.contextFiles, copy, focusText, FILES_BUDGET_CHARS / 2);
  }

  /** `--context` files another worker changed after the workers were shown them, as they are now. */
  async changedContextMaterial(paths: readonly string[], copy: WorkingCopy, focusText: string): Promise<Material> {
    return this.filesMaterial('Context files another worker has changed since, as they are now:', paths, copy, focusText, FILES_BUDGET_CHARS / 2);
  }

  /** A worker's material: its files as they are now, and the map around them. */
  async workerMaterial(files: readonly string[], copy: WorkingCopy, subtaskText: string): Promise<Material> {
    const material = await this.filesMaterial('The files your subtask touches, as they are now:', files, copy, subtaskText, FILES_BUDGET_CHARS);
    if (this.options.mapTokens > 0 && this.index.files.length > 0) {
      const map = mapForFiles(this.index, [...files], Math.min(WORKER_MAP_TOKENS, this.options.mapTokens), mentionsIn(subtaskText, this.index).identifiers);
      if (map.trim() !== '') material.sections.push(`The project around them (a map: files and what they define):\n${map}`);
    }
    return material;
  }

  private async filesMaterial(heading: string, paths: readonly string[], copy: WorkingCopy, focusText: string, budget: number): Promise<Material> {
    const shown: ContextFile[] = [];
    const sent: SentFile[] = [];
    let used = 0;
    for (const file of paths) {
      let content: string | undefined;
      try {
        content = await copy.current(file);
      } catch {
        sent.push({ path: file, kind: 'left-out', chars: 0 });
        continue;
      }
      let shownFile: ContextFile = content === undefined ? { path: file, kind: 'missing', text: '' } : { path: file, kind: 'whole', text: content };
      if (content !== undefined && (content.length > WHOLE_FILE_CHARS || used + content.length > budget)) shownFile = { path: file, kind: 'outline', text: await outline(file, content, focusText, this.index) };
      if (used + shownFile.text.length > budget) {
        sent.push({ path: file, kind: 'left-out', chars: 0 });
        continue;
      }
      used += shownFile.text.length;
      shown.push(shownFile);
      sent.push({ path: file, kind: shownFile.kind, chars: shownFile.text.length });
    }
    const section = formatContextFiles(heading, shown);
    return { sections: section === undefined ? [] : [section], sent };
  }
}

/** A large file as the definitions the text names (whole), then the signatures of the rest. */
async function outline(file: string, content: string, focusText: string, index: ProjectIndex): Promise<string> {
  const definitions = index.files.find((entry) => entry.path === file)?.definitions ?? [];
  const named = definitions.filter((definition) => new RegExp(`\\b${definition.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(focusText));
  const parts: string[] = [];
  if (named.length > 0) {
    const enclosing = await enclosingDefinitions(file, content, named.map((definition) => definition.line));
    if (enclosing.length <= WHOLE_FILE_CHARS) parts.push(enclosing);
  }
  const lines = content.split('\n').length;
  parts.push(`Outline of ${file} (${lines} lines):\n${definitions.map((definition) => `${String(definition.line).padStart(6)}: ${definition.signature}`).join('\n') || '(no definitions found)'}`);
  return parts.join('\n\n');
}

function emptyIndex(root: string, notes: string[]): ProjectIndex {
  return { root, files: [], skipped: [], omitted: 0, notes, stats: { parsed: 0, fromCache: 0, ms: 0 } };
}
