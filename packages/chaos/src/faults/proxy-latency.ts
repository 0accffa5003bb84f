import type { Fault, FaultContext } from './fault.ts';

/** Added latency on every connection between the services and Kafka or Redis, in both directions. */
export function proxyLatency(target: 'kafka' | 'redis', latencyMs: number, holdMs: number): Fault {
  const proxy = (ctx: FaultContext) => (target === 'kafka' ? ctx.platform.single.kafkaProxy : ctx.platform.single.redisProxy);
  return {
    kind: target === 'kafka' ? 'kafka-latency' : 'redis-latency',
    holdMs,
    async inject(ctx: FaultContext) {
      proxy(ctx).setLatency(latencyMs);
      return `${latencyMs} ms added each way to ${target} for ${holdMs / 1000} s`;
    },
    async heal(ctx: FaultContext) {
      proxy(ctx).setLatency(0);
    },
  };
}
