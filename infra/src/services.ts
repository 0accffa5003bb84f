import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.ts';
import { spawnGuarded, stopProcess, type GuardedProcess } from './process.ts';

/**
 * How a service runs: from its TypeScript source under tsx (its `dev` script: `pnpm dev`, tests,
 * benchmarks), or compiled by `pnpm build` into dist/ (its `start` script, its container image).
 */
export type ServiceMode = 'source' | 'compiled';

export interface ServicePackage {
  readonly name: string;
  readonly dir: string;
  /** The shell command that runs its server, e.g. `node --max-semi-space-size=64 --import tsx src/server.ts`. */
  readonly start: string;
}

/**
 * The Node flags of the service in `dir`, from its `node-flags` file: the one place they are set,
 * read by its `start` and `dev` scripts, its image, `pnpm dev`, the tests and the benchmarks.
 * Lines starting with `#` are notes.
 */
export function serviceNodeFlags(dir: string): string[] {
  const file = join(dir, 'node-flags');
  if (!existsSync(file)) throw new Error(`${dir} has no node-flags file (its Node flags, none when empty)`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => line.split(/\s+/))
    .filter(Boolean);
}

/**
 * Node's arguments that run the server of the service in `dir`: its flags, then src/server.ts under
 * tsx, or dist/server.js with the `compiled` condition (workspace packages resolve to their dist/).
 */
export function serverNodeArgs(dir: string, mode: ServiceMode): string[] {
  const entry = mode === 'compiled' ? ['--conditions=compiled', 'dist/server.js'] : ['--import', 'tsx', 'src/server.ts'];
  return [...serviceNodeFlags(dir), ...entry];
}

/** Default HTTP ports (docs/http.md). */
export const SERVICE_PORTS: Readonly<Record<string, number>> = { registration: 3001, 'badge-scanning': 3002, matchmaking: 3003, analytics: 3004 };

/** Resolves true once the service's /readyz answers 200, false after `timeoutMs` or once `signal` aborts. */
export async function waitForReady(port: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal?.aborted) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/**
 * Every folder of services/ whose package.json has a `start` script, in name order, each to be
 * run from source (the default) or compiled (after `pnpm build`, see buildServices).
 */
export function discoverServices(mode: ServiceMode = 'source', servicesDir = join(REPO_DIR, 'services')): ServicePackage[] {
  if (!existsSync(servicesDir)) return [];
  return readdirSync(servicesDir)
    .sort()
    .map((name) => ({ name, dir: join(servicesDir, name) }))
    .flatMap(({ name, dir }) => {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) return [];
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> };
      if (typeof pkg.scripts?.start !== 'string') return [];
      return [{ name, dir, start: ['node', ...serverNodeArgs(dir, mode)].join(' ') }];
    });
}

/**
 * `pnpm build` for the services and the packages they use (turbo: what has not changed since its
 * last build is restored from turbo's cache), so compiled services run what the source says.
 */
export function buildServices(): void {
  const build = spawnSync('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=./services/*', '--output-logs=errors-only'], {
    cwd: REPO_DIR,
    encoding: 'utf8',
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) throw new Error(`pnpm build failed (${build.status ?? build.signal}):\n${build.stdout}\n${build.stderr}`);
}

/**
 * The environment of the services a runner starts: one for all, or each service's own (a secured
 * platform gives each its Kafka user and Redis user), by the service's name.
 */
export type ServiceEnv = NodeJS.ProcessEnv | ((service: string) => NodeJS.ProcessEnv);

export function serviceEnvOf(env: ServiceEnv, service: string): NodeJS.ProcessEnv {
  return typeof env === 'function' ? env(service) : env;
}

export interface RunningService extends ServicePackage {
  readonly process: GuardedProcess;
  readonly logFile: string;
}

/**
 * Starts each service's command (`start`: from source or compiled, as it was discovered) with the
 * shared environment, logging to logDir/<name>.log; a service named in `ports` listens there (else
 * on its own default).
 */
export function startServices(
  services: readonly ServicePackage[],
  sharedEnv: NodeJS.ProcessEnv,
  logDir: string,
  ports: Readonly<Record<string, number>> = {},
): RunningService[] {
  mkdirSync(logDir, { recursive: true });
  return services.map((service) => {
    const port = ports[service.name];
    const env = port === undefined ? sharedEnv : { ...sharedEnv, PORT: String(port) };
    const logFile = join(logDir, `${service.name}.log`);
    // `exec` makes the service's node process the guard's own child, so stopping reaches it.
    const path = `${join(service.dir, 'node_modules', '.bin')}:${join(REPO_DIR, 'node_modules', '.bin')}:${env.PATH ?? ''}`;
    const child = spawnGuarded('sh', ['-c', `exec ${service.start}`], { logFile, ownerPid: process.pid, env: { ...env, PATH: path }, cwd: service.dir });
    return { ...service, process: child, logFile };
  });
}

export async function stopServices(services: readonly RunningService[]): Promise<void> {
  await Promise.all(services.map((s) => stopProcess(s.process.pid)));
}
