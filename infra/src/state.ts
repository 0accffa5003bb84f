import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { devDataDir } from './paths.ts';
import { isAlive } from './process.ts';

/** What `pnpm infra:up` left running, so `pnpm infra:down` and `pnpm dev` can find it. */
export interface RunState {
  readonly kafkaBrokers: string;
  readonly redisUrl: string;
  /** Guard PIDs of processes `infra:up` started (none for clusters given by env vars). */
  readonly pids: readonly number[];
}

const stateFile = (): string => join(devDataDir(), 'infra-up.json');

export function readRunState(file = stateFile()): RunState | null {
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8')) as RunState;
  return state.pids.every(isAlive) ? state : null;
}

export function writeRunState(state: RunState, file = stateFile()): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}

export function clearRunState(file = stateFile()): void {
  rmSync(file, { force: true });
}
