// `et map`: the project map of a folder as the mayor would read it, or the whole index as JSON. Not in
// the help: a tool for looking at what the map sees (and for checking that a build can parse at all).
import path from 'node:path';
import { EXIT_OK, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

/** The run log folder's default name: a run's own records are not part of the project. */
const LOG_FOLDER = '.electrictown';

export const mapCommand: Command = {
  words: ['map'],
  usage: 'et map [--root DIR] [--task TEXT] [--tokens N] [--json]',
  summary: 'print the project map of a folder (default: the current one), ranked for a task',
  hidden: true,
  async run(args, context) {
    const { values } = parseOptions(args, { root: { type: 'string' }, task: { type: 'string' }, tokens: { type: 'string' }, json: { type: 'boolean' } }, this.usage, 0);
    const { buildProjectIndex, DEFAULT_MAP_TOKENS, mentionsIn, rankFiles, renderMap } = await import('../project-map');
    const tokens = values.tokens === undefined ? DEFAULT_MAP_TOKENS : Number(values.tokens);
    if (!Number.isInteger(tokens) || tokens <= 0) throw new UsageError(`--tokens "${values.tokens}" is not a positive whole number`, `usage: ${this.usage}`);
    const root = path.resolve(context.cwd, values.root ?? '.');
    const index = await buildProjectIndex({ root, exclude: [LOG_FOLDER] });
    const focus = mentionsIn(values.task ?? '', index);
    const ranked = rankFiles(index, focus);
    if (values.json) context.stdout(`${JSON.stringify({ ...index, focus, ranked }, null, 2)}\n`);
    else context.stdout(renderMap(index, ranked, tokens));
    return EXIT_OK;
  },
};
