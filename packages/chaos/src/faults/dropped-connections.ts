import type { Fault, FaultContext } from './fault.ts';

/** Every connection to Kafka and Redis cut, `times` times over `holdMs` (a flapping network). */
export function droppedConnections(times: number, holdMs: number): Fault {
  let timer: NodeJS.Timeout | null = null;
  return {
    kind: 'dropped-connections',
    holdMs,
    async inject(ctx: FaultContext) {
      const cut = () => ctx.platform.single.kafkaProxy.dropConnections() + ctx.platform.single.redisProxy.dropConnections();
      let dropped = cut();
      let left = times - 1;
      timer = setInterval(
        () => {
          if (left-- <= 0) return;
          dropped += cut();
        },
        holdMs / Math.max(1, times),
      );
      return `connections to Kafka and Redis cut ${times} times over ${holdMs / 1000} s (first cut: ${dropped})`;
    },
    async heal() {
      if (timer) clearInterval(timer);
    },
  };
}
