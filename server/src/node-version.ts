// The oldest Node.js `et` runs on: the ppc64le build's runtime (npm carries no later 20.x for ppc64le).
// package.json's engines.node says the same; a unit test keeps the two equal.
export const MINIMUM_NODE_VERSION = '20.11.0';

/** True when `version` (e.g. process.versions.node) is older than `minimum`. */
export function isOlderThan(version: string, minimum: string): boolean {
  const parts = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const [given, wanted] = [parts(version), parts(minimum)];
  for (let index = 0; index < 3; index++) {
    if ((given[index] ?? 0) !== (wanted[index] ?? 0)) return (given[index] ?? 0) < (wanted[index] ?? 0);
  }
  return false;
}
