import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MatchmakingDeps } from '../usecases/deps.ts';
import { expireDue } from '../usecases/meetings.ts';

/** Every instance sweeps pending requests past their time; compare-and-set lets exactly one expire each. */
async function expirySweeper(app: FastifyInstance, options: { deps: MatchmakingDeps; everyMs: number; whole: () => boolean }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let closed = false;
  const tick = () => {
    // Not on a lost or half-built state: a request it lacks would never expire, one it lost twice.
    running = (options.whole() ? expireDue(options.deps) : Promise.resolve())
      .catch((error: unknown) => app.log.warn({ err: error }, 'expiry sweep failed'))
      .finally(() => {
        if (!closed) timer = setTimeout(tick, options.everyMs);
      });
  };
  app.addHook('onReady', async () => {
    timer = setTimeout(tick, options.everyMs);
  });
  app.addHook('onClose', async () => {
    closed = true;
    clearTimeout(timer);
    await running;
  });
}

export const expirySweeperPlugin = fp(expirySweeper, { name: 'matchmaking-expiry-sweeper' });
