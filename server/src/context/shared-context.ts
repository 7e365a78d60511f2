// What every worker of a run is shown alike — the selection, the project map ranked towards the task,
// the `--context` files — read once, when the first worker starts, so that it opens every worker's
// prompt with the same bytes and the providers' prompt caches can serve it to all but the first. A
// `--context` file another worker changes after that is shown again, as it is now, to the workers that
// start later, after what they share.
import type { WorkingCopy } from '../edits/working-copy';
import type { Material, RunContext, SentFile } from './run-context';

export interface WorkerMaterial {
  /** Prompt sections every worker of the run is shown alike, in order. */
  shared: string[];
  /** This worker's own: its files as they are now, the map around them, context changed since. */
  own: string[];
  /** What was sent, for the run record. */
  sent: SentFile[];
}

/** A file that could not be read is compared as this, so that it does not count as changed. */
const UNREADABLE = '\u0000unreadable';

interface Snapshot {
  material: Material;
  /** Each `--context` file's content when the shared material was read. */
  read: Map<string, string | undefined>;
}

async function contentOf(copy: WorkingCopy, file: string): Promise<string | undefined> {
  try {
    return await copy.current(file);
  } catch {
    return UNREADABLE;
  }
}

export class SharedContext {
  private snapshot: Promise<Snapshot> | undefined;

  constructor(
    private readonly project: RunContext | undefined,
    private readonly copy: WorkingCopy,
    private readonly task: string,
    /** Sections given with the run (the editor's selection), first in what is shared. */
    private readonly given: readonly string[],
  ) {}

  async forWorker(files: readonly string[], subtaskText: string): Promise<WorkerMaterial> {
    const project = this.project;
    if (!project) return { shared: [...this.given], own: [], sent: [] };
    const { material, read } = await (this.snapshot ??= this.take(project));
    const own = await project.workerMaterial(files, this.copy, subtaskText);
    const changed: string[] = [];
    for (const [file, before] of read) if ((await contentOf(this.copy, file)) !== before) changed.push(file);
    const again = changed.length === 0 ? { sections: [], sent: [] } : await project.changedContextMaterial(changed, this.copy, subtaskText);
    return { shared: [...this.given, ...material.sections], own: [...own.sections, ...again.sections], sent: [...material.sent, ...own.sent, ...again.sent] };
  }

  private async take(project: RunContext): Promise<Snapshot> {
    const read = new Map<string, string | undefined>();
    for (const file of project.contextFiles) read.set(file, await contentOf(this.copy, file));
    const map = project.workersMap(this.task);
    // Outlines of large files keep the parts the task names: the same for every worker.
    const given = await project.contextMaterial(this.copy, this.task);
    const sections = [...(map === undefined ? [] : [`The project (a map of its files and what they define, the most relevant to the task first):\n${map}`]), ...given.sections];
    return { material: { sections, sent: given.sent }, read };
  }
}
