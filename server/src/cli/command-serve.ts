import { EXIT_OK, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

export const serveCommand: Command = {
  words: ['serve'],
  usage: 'et serve --stdio',
  summary: 'run the language server (JSON-RPC over stdio), as the editor and headless agents do',
  async run(args, context) {
    // vscode-languageclient appends --clientProcessId=N so the server exits with its editor.
    const { values } = parseOptions(args, { stdio: { type: 'boolean' }, clientProcessId: { type: 'string' } }, this.usage, 0);
    if (!values.stdio) throw new UsageError('serve needs a transport', 'stdio is the only one: et serve --stdio');
    const { startLanguageServer } = await import('../lsp/server');
    await startLanguageServer({ self: context.self });
    return EXIT_OK;
  },
};
