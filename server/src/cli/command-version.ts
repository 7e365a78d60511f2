import { VERSION } from '../version';
import { EXIT_OK, type Command } from './context';
import { parseOptions } from './parse-options';

export const versionCommand: Command = {
  words: ['version'],
  usage: 'et version',
  summary: 'print the version',
  async run(args, context) {
    parseOptions(args, {}, this.usage, 0);
    context.stdout(`et ${VERSION}\n`);
    return EXIT_OK;
  },
};
