import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { InfraError } from '../errors.ts';
import { logTail, spawnGuarded, stopProcess } from '../process.ts';
import { balancerConfig, type BalancerConfigOptions } from './config.ts';

export interface BalancerOptions extends BalancerConfigOptions {
  /** The configuration file and the log go here. */
  readonly dataDir: string;
  readonly ownerPid: number;
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface RunningBalancer {
  /** PID of the guard that runs haproxy. */
  readonly pid: number;
  readonly configFile: string;
  stop(): Promise<void>;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Runs `haproxy -c` on the file: throws with HAProxy's own words when it refuses it. */
export function checkBalancerConfig(file: string): void {
  const checked = spawnSync('haproxy', ['-c', '-q', '-f', file], { encoding: 'utf8' });
  if (checked.error) throw new InfraError('haproxy was not found. Install it (`apt-get install haproxy`) to run several instances of each service.');
  if (checked.status !== 0) throw new InfraError(`haproxy refused ${file}:\n${checked.stdout}${checked.stderr}`);
}

/**
 * HAProxy (Debian's package) in front of several instances of each service, in the foreground
 * under the guard, with the configuration of `balancerConfig`. Resolves once every front port
 * accepts connections.
 */
export async function startBalancer(options: BalancerOptions): Promise<RunningBalancer> {
  mkdirSync(options.dataDir, { recursive: true });
  const configFile = join(options.dataDir, 'haproxy.cfg');
  writeFileSync(configFile, balancerConfig(options));
  checkBalancerConfig(configFile);
  const logFile = join(options.dataDir, 'haproxy.log');
  const child = spawnGuarded('haproxy', ['-db', '-f', configFile], { logFile, ownerPid: options.ownerPid });
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  const ports = [...options.services.map((s) => s.frontPort), ...(options.statsPort === undefined ? [] : [options.statsPort])];
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (!exited && Date.now() < deadline) {
    const up = await Promise.all(ports.map(accepts));
    if (up.every(Boolean)) {
      options.log?.(`HAProxy in front of ${options.services.map((s) => `${s.name} (${s.instancePorts.length} on :${s.frontPort})`).join(', ')}`);
      return { pid: child.pid, configFile, stop: () => stopProcess(child.pid) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopProcess(child.pid);
  throw new InfraError(`HAProxy did not listen on ${ports.join(', ')}. Last lines of ${logFile}:\n${logTail(logFile)}`);
}
