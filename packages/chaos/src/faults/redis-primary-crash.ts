import type { RedisClusterNode } from '@expo/infra';
import type { Fault, FaultContext } from './fault.ts';

/**
 * kill -9 of the Redis Cluster primary serving the expo's slot (cluster runs): its replica takes
 * over, possibly without the last writes it had not yet copied, which the services' state markers
 * find (another Redis) and fold again from the log. The killed node starts again when the fault
 * heals and rejoins as the new primary's replica.
 */
export function redisPrimaryCrash(holdMs: number): Fault {
  let killed: RedisClusterNode | null = null;
  return {
    kind: 'redis-primary-crash',
    holdMs,
    async inject(ctx: FaultContext) {
      const { node, slot } = await ctx.platform.cluster.primaryOfExpo(ctx.platform.expoId);
      killed = node;
      await node.kill('SIGKILL');
      return `kill -9 of the Redis primary 127.0.0.1:${node.port} of the expo's slot ${slot}, ${holdMs / 1000} s down`;
    },
    async heal() {
      await killed?.start();
    },
  };
}
