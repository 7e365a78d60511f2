// JSON-RPC hygiene on stdio: a body that is not JSON gets a Parse error reply, and JSON that is not a
// request, notification or response gets an Invalid Request reply — instead of silence — and the
// server keeps reading. A broken header (no usable Content-Length) leaves no way to find where the
// next message starts: the server replies, says so on stderr and exits, so its client can restart it
// rather than wait on a server that can no longer read. Wraps the reader the connection listens to.
import { ErrorCodes, type DataCallback, type Disposable, type Message, type MessageReader, type MessageWriter } from 'vscode-languageserver/node';

function isWellFormed(message: Message): boolean {
  const candidate = message as unknown as Record<string, unknown>;
  if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate)) return false;
  if (typeof candidate.method === 'string') return true;
  const hasId = typeof candidate.id === 'string' || typeof candidate.id === 'number' || candidate.id === null;
  return hasId && ('result' in candidate || 'error' in candidate);
}

function errorReply(id: unknown, code: number, message: string): Message {
  const replyId = typeof id === 'string' || typeof id === 'number' ? id : null;
  return { jsonrpc: '2.0', id: replyId, error: { code, message } } as Message;
}

export function guardMessages(inner: MessageReader, writer: MessageWriter): MessageReader {
  inner.onError((error) => {
    const reason = error.message.split('\n')[0];
    if (/content-length|header/i.test(reason)) {
      process.stderr.write(`electrictown: unrecoverable framing error on stdin (${reason}); exiting\n`);
      void writer.write(errorReply(null, ErrorCodes.ParseError, `Parse error: ${reason}`)).finally(() => process.exit(1));
    } else if (error instanceof SyntaxError || /JSON/i.test(reason)) {
      void writer.write(errorReply(null, ErrorCodes.ParseError, `Parse error: ${reason}`));
    }
  });
  return {
    onError: inner.onError,
    onClose: inner.onClose,
    onPartialMessage: inner.onPartialMessage,
    dispose: () => inner.dispose(),
    listen(callback: DataCallback): Disposable {
      return inner.listen((message) => {
        if (isWellFormed(message)) callback(message);
        else void writer.write(errorReply((message as unknown as { id?: unknown } | null)?.id, ErrorCodes.InvalidRequest, 'Invalid Request: not a JSON-RPC request, notification or response'));
      });
    },
  };
}
