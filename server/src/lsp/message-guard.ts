// The reader the connection listens to, with the server's decisions on what it reads applied: each
// message's verdict (message-gate.ts) and each error the strict reader reports (strict-message-reader.ts).
// A body that is not UTF-8 JSON gets a Parse error reply and reading goes on at the next message. A
// broken header leaves no way to find where the next message starts: the server replies with a Parse
// error and ends (`fatal`), so its client can restart it rather than wait on a server that can no
// longer read. Nothing here is silent: what is not answered is logged.
import { ErrorCodes, type DataCallback, type Disposable, type MessageReader, type MessageWriter, type ResponseMessage } from 'vscode-languageserver/node';
import { checkMessage } from './message-gate';
import { FramingError, MessageBodyError } from './strict-message-reader';

export interface GuardHooks {
  /** A line for the server's log. */
  log(text: string): void;
  /** The input cannot be read on: end the server, saying why. Called once the error reply is written. */
  fatal(reason: string): void;
}

function parseError(reason: string): ResponseMessage {
  return { jsonrpc: '2.0', id: null, error: { code: ErrorCodes.ParseError, message: `Parse error: ${reason}` } };
}

export function guardMessages(inner: MessageReader, writer: MessageWriter, hooks: GuardHooks): MessageReader {
  let initialized = false;
  inner.onError((error) => {
    if (error instanceof FramingError) void writer.write(parseError(error.message)).finally(() => hooks.fatal(error.message));
    else if (error instanceof MessageBodyError) void writer.write(parseError(error.message));
    else hooks.log(`reading the client's messages: ${error.message}`);
  });
  return {
    onError: inner.onError,
    onClose: inner.onClose,
    onPartialMessage: inner.onPartialMessage,
    dispose: () => inner.dispose(),
    listen(callback: DataCallback): Disposable {
      return inner.listen((message) => {
        const verdict = checkMessage(message, initialized);
        if (verdict.kind === 'pass') {
          initialized ||= verdict.initializes;
          callback(verdict.message);
        } else if (verdict.kind === 'reply') {
          void writer.write(verdict.reply);
        } else {
          hooks.log(`dropped ${verdict.reason}`);
        }
      });
    },
  };
}
