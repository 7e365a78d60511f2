// Which config file a command uses: --config PATH, else ./electrictown.yaml, else $HOME/electrictown.yaml.
import path from 'node:path';

export const CONFIG_FILE_NAME = 'electrictown.yaml';

export interface DiscoveryInput {
  explicitPath: string | undefined;
  cwd: string;
  home: string | undefined;
  exists: (file: string) => boolean;
}

export type Discovery = { found: true; path: string } | { found: false; tried: string[] };

export function discoverConfig(input: DiscoveryInput): Discovery {
  const candidates =
    input.explicitPath !== undefined
      ? [path.resolve(input.cwd, input.explicitPath)]
      : [path.join(input.cwd, CONFIG_FILE_NAME), ...(input.home ? [path.join(input.home, CONFIG_FILE_NAME)] : [])];
  const tried = [...new Set(candidates)];
  const found = tried.find((candidate) => input.exists(candidate));
  return found === undefined ? { found: false, tried } : { found: true, path: found };
}
