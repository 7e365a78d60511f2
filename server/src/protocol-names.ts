// The protocol's plain values, in a module that imports nothing: the extension reads these at
// activation, when loading the JSON-RPC library (which protocol.ts needs for its message types) would
// cost more than the whole activation budget. protocol.ts re-exports them.

/** The witness's findings are diagnostics with this source. */
export const WITNESS_SOURCE = 'electrictown witness';
/** The quick fix on a witness finding: `{ uri, diagnostic }` (an LSP diagnostic) → `{ applied, message }`. */
export const ASK_REFINERY_COMMAND = 'electrictown.askRefinery';
/** `data.reason` of the InvalidParams error a request about runs or costs gets when no config is found. */
export const NO_CONFIG_REASON = 'no-config';
