import type { Fault, FaultContext } from './fault.ts';

/** kill -9 of redis-server, started again empty on the same port (nothing persisted, as in dev). */
export function redisRestartEmpty(holdMs: number): Fault {
  return {
    kind: 'redis-restart-empty',
    holdMs,
    async inject(ctx: FaultContext) {
      await ctx.platform.single.crashRedis();
      return `kill -9 of Redis, back empty after ${holdMs / 1000} s`;
    },
    async heal(ctx: FaultContext) {
      await ctx.platform.single.restartRedis();
    },
  };
}
