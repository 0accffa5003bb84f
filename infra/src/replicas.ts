import { join } from 'node:path';
import { freePort } from './ports.ts';
import { startBalancer, type RunningBalancer } from './haproxy/balancer.ts';
import { SERVICE_PORTS, serviceEnvOf, startServices, waitForReady, type ServiceEnv, type ServicePackage } from './services.ts';
import { stopSupervised, SupervisedService, type SupervisorOptions } from './supervisor.ts';

export interface ReplicaInstance {
  /** The service's name; its log file is `<service>-<n>.log`. */
  readonly name: string;
  readonly port: number;
  readonly logFile: string;
  /** Started again whenever it exits on its own. */
  readonly supervised: SupervisedService;
}

export interface ReplicatedServices {
  /** Every instance, `<service>-<n>` in its log file's name. */
  readonly instances: readonly ReplicaInstance[];
  readonly balancer: RunningBalancer;
  stop(): Promise<void>;
}

/**
 * `replicas` instances of every service, each on a free port of its own (and its own INSTANCE_ID),
 * behind HAProxy on the services' usual ports: clients see one address per service, as with one
 * instance. Instances of one service share its consumer groups, so Kafka spreads the partitions
 * over them. Each instance is supervised: one that exits on its own is started again (told
 * through `supervision.log`), and HAProxy sends its share to the others meanwhile.
 */
export async function startReplicated(
  services: readonly ServicePackage[],
  replicas: number,
  env: ServiceEnv,
  dataDir: string,
  log: (line: string) => void,
  supervision: SupervisorOptions,
): Promise<ReplicatedServices> {
  const taken = Object.values(SERVICE_PORTS);
  const instances: ReplicaInstance[] = [];
  for (const service of services) {
    // Instances of one service share its environment: its Kafka user and Redis user on a secured platform.
    const own = serviceEnvOf(env, service.name);
    for (let n = 1; n <= replicas; n += 1) {
      const port = await freePort(taken);
      taken.push(port);
      const name = `${service.name}-${n}`;
      const launch = () => startServices([{ ...service, name }], { ...own, INSTANCE_ID: name }, join(dataDir, 'logs'), { [name]: port })[0]!;
      const supervised = new SupervisedService(name, launch, supervision);
      instances.push({ name: service.name, port, logFile: supervised.logFile, supervised });
    }
  }
  const balanced = services
    .filter((s) => SERVICE_PORTS[s.name] !== undefined)
    .map((s) => ({ name: s.name, frontPort: SERVICE_PORTS[s.name]!, instancePorts: instances.filter((i) => i.name === s.name).map((i) => i.port) }));
  const stopInstances = () => stopSupervised(instances.map((i) => i.supervised));
  const balancer = await startBalancer({ services: balanced, dataDir: join(dataDir, 'haproxy'), ownerPid: process.pid, log }).catch(async (error: unknown) => {
    await stopInstances();
    throw error;
  });
  return {
    instances,
    balancer,
    async stop() {
      await balancer.stop();
      await stopInstances();
    },
  };
}

/** Waits until every instance answers /readyz, each on its own port; false for those that did not within `timeoutMs`. */
export function instancesReady(replicated: ReplicatedServices, timeoutMs: number, signal?: AbortSignal): Promise<boolean[]> {
  return Promise.all(replicated.instances.map((i) => waitForReady(i.port, timeoutMs, signal)));
}
