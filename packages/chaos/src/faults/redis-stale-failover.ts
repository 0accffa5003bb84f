import type { Fault, FaultContext } from './fault.ts';

/**
 * A failover to a copy that missed the last writes: a copy of Redis is saved, the platform goes on
 * writing for `holdMs`, then Redis dies and comes back from the copy (as a promoted replica that
 * lagged, or a restore from backup, presents itself).
 */
export function redisStaleFailover(holdMs: number): Fault {
  return {
    kind: 'redis-stale-failover',
    holdMs,
    async inject(ctx: FaultContext) {
      await ctx.platform.single.saveRedisCopy();
      return `copy of Redis saved; ${holdMs / 1000} s of writes it will miss`;
    },
    async heal(ctx: FaultContext) {
      await ctx.platform.single.crashRedis();
      await ctx.platform.single.restartRedis();
    },
  };
}
