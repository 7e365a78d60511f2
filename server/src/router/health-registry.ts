// One endpoint health per log folder for the whole process: every router of a server, a run, a session
// turn or `et ask` asks the same one, so a dead endpoint found by one run is not probed again by the
// next, and `et` processes sharing the log folder share it through its file.
import path from 'node:path';
import { EndpointHealth } from './endpoint-health';
import { HealthFile } from './health-file';

const byFolder = new Map<string, { health: EndpointHealth; file: HealthFile }>();

/** The process's endpoint health for `logDirectory`; its one-time warnings go to `warn`. */
export function sharedHealth(logDirectory: string, warn: (message: string) => void): EndpointHealth {
  const folder = path.resolve(logDirectory);
  let shared = byFolder.get(folder);
  if (!shared) {
    const file = new HealthFile(folder, warn);
    shared = { health: new EndpointHealth(file), file };
    byFolder.set(folder, shared);
  }
  shared.file.onWarning = warn;
  return shared.health;
}
