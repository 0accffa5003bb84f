import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.ts';
import { spawnGuarded, stopProcess, type GuardedProcess } from './process.ts';

export interface ServicePackage {
  readonly name: string;
  readonly dir: string;
  /** Its `start` script, e.g. `node --import tsx src/server.ts`. */
  readonly start: string;
}

/** Default HTTP ports (docs/http.md). */
export const SERVICE_PORTS: Readonly<Record<string, number>> = { registration: 3001, 'badge-scanning': 3002, matchmaking: 3003, analytics: 3004 };

/** Resolves true once the service's /readyz answers 200, false after `timeoutMs` or once `signal` aborts. */
export async function waitForReady(port: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !signal?.aborted) {
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** Every folder of services/ whose package.json has a `start` script, in name order. */
export function discoverServices(servicesDir = join(REPO_DIR, 'services')): ServicePackage[] {
  if (!existsSync(servicesDir)) return [];
  return readdirSync(servicesDir)
    .sort()
    .map((name) => ({ name, dir: join(servicesDir, name) }))
    .flatMap(({ name, dir }) => {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) return [];
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> };
      const start = pkg.scripts?.start;
      return typeof start === 'string' ? [{ name, dir, start }] : [];
    });
}

export interface RunningService extends ServicePackage {
  readonly process: GuardedProcess;
  readonly logFile: string;
}

/**
 * Starts each service's `start` script with the shared environment, logging to logDir/<name>.log;
 * a service named in `ports` listens there (else on its own default).
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
