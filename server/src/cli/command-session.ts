// `et session spawn|list|send|attach|kill`: persistent worker conversations, as electrictown's.
import { existsSync } from 'node:fs';
import { discoverConfig } from '../config/discover';
import { CliError, UsageError, type Command } from './context';
import { parseOptions } from './parse-options';

const USAGE = 'et session spawn [--role ROLE] [--dir DIR] "PROMPT" | list [--json] | send ID "TEXT" | attach ID [--until-idle] | kill ID';

const HELP = `usage: et session <command>

A session is a conversation with one worker that persists: its transcript and state live under the log
directory (sessions/<id>/), survive restarts, and can be continued from the CLI or the editor. Each
turn runs in the background; its file blocks are written into the session's --dir.

  et session spawn [--role ROLE] [--dir DIR] "PROMPT"   start one (role polecat by default); prints its id
  et session list [--json]                              every session: id, role, status, turns, cost
  et session send ID "TEXT"                             the next message; its answer runs in the background
  et session attach ID [--until-idle]                   print the output so far and follow it live; Ctrl-C
                                                        leaves (the session goes on); --until-idle leaves
                                                        when no turn is running
  et session kill ID                                    stop its turn; the session takes no more messages
`;

export const sessionCommand: Command = {
  words: ['session'],
  usage: USAGE,
  summary: 'persistent worker conversations: spawn, list, send, attach, kill',
  help: HELP,
  async run(args, context) {
    const { values, positionals } = parseOptions(args, { role: { type: 'string' }, dir: { type: 'string' }, json: { type: 'boolean' }, 'until-idle': { type: 'boolean' } }, USAGE, 3);
    const [action, first, second] = positionals;
    const discovery = discoverConfig({ explicitPath: context.configPath, cwd: context.cwd, home: context.env.HOME, exists: existsSync });
    if (!discovery.found) throw new CliError(`no config found; tried ${discovery.tried.join(', ')}`, 'pass --config PATH');
    const sessions = await import('./sessions');
    const session = { configFile: discovery.path, context };
    const need = (value: string | undefined, what: string) => {
      if (value === undefined || value.trim() === '') throw new UsageError(`session ${action} needs ${what}`, `usage: ${USAGE}`);
      return value;
    };
    switch (action) {
      case 'spawn':
        return sessions.spawnSession(session, { role: values.role ?? 'polecat', dir: values.dir, prompt: need(first, 'a prompt') });
      case 'list':
        return sessions.showSessions(session, values.json === true);
      case 'send':
        return sessions.sendToSession(session, need(first, 'a session id'), need(second, 'the text to send'));
      case 'attach':
        return sessions.attachSession(session, need(first, 'a session id'), values['until-idle'] === true);
      case 'kill':
        return sessions.killSessionCommand(session, need(first, 'a session id'));
      case 'turn':
        // What spawn and send start in the background; not for people.
        return sessions.runSessionTurn(session, need(first, 'a session id'));
      default:
        throw new UsageError(action === undefined ? 'session needs a command' : `unknown session command "${action}"`, `usage: ${USAGE}`);
    }
  },
};
