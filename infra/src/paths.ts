import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The infra/ folder of the repository. */
export const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_DIR = join(INFRA_DIR, '..');
export const GUARD_SCRIPT = join(INFRA_DIR, 'bin', 'guard.sh');

/** Downloads live outside the repository so a clone stays small and nothing fetched is committed. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.EXPO_CACHE_DIR) return env.EXPO_CACHE_DIR;
  const base = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'expo-platform');
}

/**
 * Local development state (git-ignored): Kafka's log segments, service logs and the pid file of
 * `infra:up`. EXPO_DATA_DIR moves it (tests of the CLI use a temporary folder).
 */
export function devDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.EXPO_DATA_DIR ?? join(INFRA_DIR, '.data');
}
