// Every custom message between the extension (or any headless client) and the server, declared once.
// Standard LSP is used wherever it fits; custom methods are `electrictown/<area>/<action>`.
// This module imports nothing but protocol types, so the extension can import it.
import { MessageDirection, NotificationType } from 'vscode-languageserver-protocol';

/** Server health, as one status item shows it. */
export interface ServerStatusParams {
  health: 'ok' | 'warning' | 'error';
  /** Short, human-readable; shown in the tooltip. */
  message: string;
  /** The server's version, so a client can tell which `et` it talks to. */
  version: string;
}

/** Sent by the server after `initialized` (later issues add health changes). */
export namespace ServerStatusNotification {
  export const method = 'electrictown/server/status' as const;
  export const messageDirection = MessageDirection.serverToClient;
  export const type = new NotificationType<ServerStatusParams>(method);
}
