import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MatchmakingDeps } from '../usecases/deps.ts';
import { applyChange, loadAllWishes } from '../usecases/wishes.ts';

/**
 * Requirements and preferences are posted to any instance and kept in Redis; each instance loads
 * them at start and then tails the expo's change stream, so every instance's recommendations
 * follow within a moment. The tail has its own connection because XREAD BLOCK holds it (for less
 * than the client's 1 s command timeout).
 */
async function changesFeed(app: FastifyInstance, options: { deps: MatchmakingDeps }): Promise<void> {
  const { deps } = options;
  const reader = deps.redis.duplicate();
  const state = { running: true, loaded: false, lastId: '0-0' };
  app.readiness.add('matchmaking-wishes', () => Promise.resolve(state.loaded));
  const tail = async () => {
    while (state.running) {
      try {
        const result = await reader.xread('COUNT', 500, 'BLOCK', 500, 'STREAMS', deps.keys.changes(), state.lastId);
        for (const [, entries] of result ?? []) {
          for (const [id, fields] of entries) {
            state.lastId = id;
            await applyChange(deps, fields[1] ?? '', fields[3] ?? '');
          }
        }
      } catch (error) {
        if (!state.running) return;
        app.log.warn({ err: error }, 'changes feed read failed; retrying');
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  };
  let loop: Promise<void> = Promise.resolve();
  // Loading every requirement of a large expo takes longer than a start-up hook may: it runs
  // beside start-up and /readyz waits for it.
  const start = async () => {
    const [last] = await deps.redis.xrevrange(deps.keys.changes(), '+', '-', 'COUNT', 1);
    state.lastId = last?.[0] ?? '0-0';
    await loadAllWishes(deps);
    state.loaded = true;
    await tail();
  };
  app.addHook('onReady', async () => {
    loop = start().catch((error: unknown) => app.log.error({ err: error }, 'loading requirements and preferences failed; restart the service to retry'));
  });
  app.addHook('onClose', async () => {
    state.running = false;
    reader.disconnect();
    await loop;
  });
}

export const changesFeedPlugin = fp(changesFeed, { name: 'matchmaking-changes-feed' });
