import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { MatchmakingDeps } from '../usecases/deps.ts';
import { OUTBOX_PAGE, publishUnconfirmedMeetings } from '../usecases/meeting-outbox.ts';

/** Every instance writes again the meeting records Kafka has not acknowledged, until it does. */
async function meetingOutbox(app: FastifyInstance, options: { deps: MatchmakingDeps; everyMs: number; graceMs: number; whole: () => boolean }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let closed = false;
  const pass = async () => {
    // Not on a lost or half-built state: the rebuild settles the outbox against the log first.
    while (options.whole() && !closed && (await publishUnconfirmedMeetings(options.deps, options.graceMs)) === OUTBOX_PAGE);
  };
  const tick = () => {
    running = pass()
      .catch((error: unknown) => app.log.warn({ err: error }, 'unconfirmed meeting records could not be written yet; retrying'))
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

export const meetingOutboxPlugin = fp(meetingOutbox, { name: 'matchmaking-meeting-outbox' });
