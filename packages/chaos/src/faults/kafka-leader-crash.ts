import { TOPICS } from '@expo/schemas';
import type { KafkaNode } from '@expo/infra';
import type { Fault, FaultContext } from './fault.ts';

/**
 * kill -9 of the Kafka node leading `partition` of the scans topic (cluster runs): another node
 * takes the partition's leadership and, with two copies in sync, every acknowledged scan is kept.
 * The node starts again on the same ports and data when the fault heals.
 */
export function kafkaLeaderCrash(partition: number, holdMs: number): Fault {
  let killed: KafkaNode | null = null;
  return {
    kind: 'kafka-leader-crash',
    holdMs,
    async inject(ctx: FaultContext) {
      killed = await ctx.platform.cluster.leaderOf(TOPICS.scans.name, partition);
      killed.kill('SIGKILL');
      return `kill -9 of Kafka node ${killed.nodeId}, leader of ${TOPICS.scans.name}/${partition}, ${holdMs / 1000} s down`;
    },
    async heal() {
      await killed?.start();
    },
  };
}
