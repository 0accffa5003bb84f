import type { ServiceInstance } from '../platform/service-instance.ts';
import type { Fault, FaultContext, ServiceName } from './fault.ts';

/** kill -9 of one instance of `service`, started again on its port when the fault heals. */
export function instanceCrash(service: ServiceName, index: number, holdMs: number): Fault {
  let crashed: ServiceInstance | null = null;
  return {
    kind: 'instance-crash',
    holdMs,
    async inject(ctx: FaultContext) {
      crashed = ctx.platform.instances[service][index]!;
      await crashed.crash();
      return `kill -9 ${crashed.name}`;
    },
    async heal() {
      crashed?.start();
    },
  };
}
