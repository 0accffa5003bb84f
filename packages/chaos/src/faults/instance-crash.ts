import type { ServiceInstance } from '../platform/service-instance.ts';
import type { Fault, FaultContext, ServiceName } from './fault.ts';

/**
 * kill -9 of one instance of `service` (of each, when several are named: on a cluster run the
 * balancer must route around all of them at once), started again on its port when the fault heals.
 */
export function instanceCrash(service: ServiceName | readonly ServiceName[], index: number, holdMs: number): Fault {
  const services = typeof service === 'string' ? [service] : service;
  let crashed: ServiceInstance[] = [];
  return {
    kind: 'instance-crash',
    holdMs,
    async inject(ctx: FaultContext) {
      crashed = services.map((s) => ctx.platform.instances[s][index]!);
      await Promise.all(crashed.map((i) => i.crash()));
      return `kill -9 ${crashed.map((i) => i.name).join(', ')}`;
    },
    async heal() {
      for (const instance of crashed) instance.start();
    },
  };
}
