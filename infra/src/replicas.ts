import { join } from 'node:path';
import { freePort } from './ports.ts';
import { startBalancer, type RunningBalancer } from './haproxy/balancer.ts';
import { SERVICE_PORTS, startServices, stopServices, waitForReady, type RunningService, type ServicePackage } from './services.ts';

export interface ReplicatedServices {
  /** Every instance, `<service>-<n>` in its log file's name. */
  readonly instances: readonly (RunningService & { readonly port: number })[];
  readonly balancer: RunningBalancer;
  stop(): Promise<void>;
}

/**
 * `replicas` instances of every service, each on a free port of its own (and its own INSTANCE_ID),
 * behind HAProxy on the services' usual ports: clients see one address per service, as with one
 * instance. Instances of one service share its consumer groups, so Kafka spreads the partitions
 * over them.
 */
export async function startReplicated(
  services: readonly ServicePackage[],
  replicas: number,
  env: NodeJS.ProcessEnv,
  dataDir: string,
  log: (line: string) => void,
): Promise<ReplicatedServices> {
  const taken = Object.values(SERVICE_PORTS);
  const instances: (RunningService & { port: number })[] = [];
  for (const service of services) {
    for (let n = 1; n <= replicas; n += 1) {
      const port = await freePort(taken);
      taken.push(port);
      const name = `${service.name}-${n}`;
      const [started] = startServices([{ ...service, name }], { ...env, INSTANCE_ID: name }, join(dataDir, 'logs'), { [name]: port });
      instances.push({ ...started!, name: service.name, port });
    }
  }
  const balanced = services
    .filter((s) => SERVICE_PORTS[s.name] !== undefined)
    .map((s) => ({ name: s.name, frontPort: SERVICE_PORTS[s.name]!, instancePorts: instances.filter((i) => i.name === s.name).map((i) => i.port) }));
  const balancer = await startBalancer({ services: balanced, dataDir: join(dataDir, 'haproxy'), ownerPid: process.pid, log }).catch(async (error: unknown) => {
    await stopServices(instances);
    throw error;
  });
  return {
    instances,
    balancer,
    async stop() {
      await balancer.stop();
      await stopServices(instances);
    },
  };
}

/** Waits until every instance answers /readyz, each on its own port; false for those that did not within `timeoutMs`. */
export function instancesReady(replicated: ReplicatedServices, timeoutMs: number, signal?: AbortSignal): Promise<boolean[]> {
  return Promise.all(replicated.instances.map((i) => waitForReady(i.port, timeoutMs, signal)));
}
