import type { Fault, FaultContext } from './fault.ts';

/** kill -9 of the Kafka broker, started again on the same port with the same data when the fault heals. */
export function brokerCrash(holdMs: number): Fault {
  return {
    kind: 'broker-crash',
    holdMs,
    async inject(ctx: FaultContext) {
      await ctx.platform.single.crashKafka();
      return `kill -9 of the broker, ${holdMs / 1000} s down`;
    },
    async heal(ctx: FaultContext) {
      await ctx.platform.single.restartKafka();
    },
  };
}
