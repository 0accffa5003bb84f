import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR } from './paths.ts';
import { spawnGuarded, stopProcess, type GuardedProcess } from './process.ts';

export interface ServicePackage {
  readonly name: string;
  readonly dir: string;
}

/** Every folder of services/ whose package.json has a `start` script, in name order. */
export function discoverServices(servicesDir = join(REPO_DIR, 'services')): ServicePackage[] {
  if (!existsSync(servicesDir)) return [];
  return readdirSync(servicesDir)
    .sort()
    .map((name) => ({ name, dir: join(servicesDir, name) }))
    .filter(({ dir }) => {
      const manifest = join(dir, 'package.json');
      if (!existsSync(manifest)) return false;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> };
      return typeof pkg.scripts?.start === 'string';
    });
}

export interface RunningService extends ServicePackage {
  readonly process: GuardedProcess;
  readonly logFile: string;
}

/** Starts each service's `start` script with the shared environment, logging to logDir/<name>.log. */
export function startServices(
  services: readonly ServicePackage[],
  env: NodeJS.ProcessEnv,
  logDir: string,
): RunningService[] {
  mkdirSync(logDir, { recursive: true });
  return services.map((service) => {
    const logFile = join(logDir, `${service.name}.log`);
    const child = spawnGuarded('pnpm', ['run', '--silent', 'start'], { logFile, ownerPid: process.pid, env, cwd: service.dir });
    return { ...service, process: child, logFile };
  });
}

export async function stopServices(services: readonly RunningService[]): Promise<void> {
  await Promise.all(services.map((s) => stopProcess(s.process.pid)));
}
