import type { Fault, FaultContext, ServiceName } from './fault.ts';

/** SIGSTOP of one instance of `service` (a long GC pause, a frozen VM), SIGCONT when the fault heals. */
export function instancePause(service: ServiceName, index: number, holdMs: number): Fault {
  return {
    kind: 'instance-pause',
    holdMs,
    async inject(ctx: FaultContext) {
      const instance = ctx.platform.instances[service][index]!;
      instance.pause();
      return `SIGSTOP ${instance.name} for ${holdMs / 1000} s`;
    },
    async heal(ctx: FaultContext) {
      ctx.platform.instances[service][index]!.resume();
    },
  };
}
