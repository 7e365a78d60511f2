// The entry of server/out/mcp.js (esbuild.mjs). The server is loaded through a dynamic import, as it
// is inside cli.js, so esbuild initialises its modules (zod's and the SDK's among them) in the order
// they are first needed; as a plain entry the SDK's schemas ran before zod had defined its classes.
import type { McpContext } from './mcp-context';

export async function serveMcp(context: McpContext): Promise<void> {
  const { serveMcp: serve } = await import('./mcp-server');
  return serve(context);
}
