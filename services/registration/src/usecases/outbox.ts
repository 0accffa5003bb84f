import type { RegistrationDeps } from './deps.ts';
import { publishAgain } from './publish-registrations.ts';

const PAGE = 500;

/** One pass of the outbox: claims what waits longer than `graceMs` (its own request had its chance) and writes it again. */
export async function publishUnconfirmed(deps: RegistrationDeps, graceMs: number, limit = PAGE): Promise<number> {
  const due = await deps.store.outbox.claimDue(graceMs, limit);
  await publishAgain(deps, due);
  return due.length;
}

export interface OutboxLoop {
  /** Stops the loop, after the pass under way (if any) has finished. */
  stop(): Promise<void>;
}

/**
 * The outbox's writer: a registration whose request did not see Kafka acknowledge its records (a
 * produce timeout whose record may land later, a crash between reservation and answer) keeps its
 * email, so its records are written, with the same ids, until Kafka has them and it becomes state,
 * whether or not the client ever asks again. Several instances may write the same registration:
 * same ids, deduped downstream. Passes only while the state is whole.
 */
export function startOutbox(
  deps: RegistrationDeps,
  options: { intervalMs: number; graceMs: number },
  whole: () => boolean,
  log: { warn(o: object, m: string): void },
): OutboxLoop {
  let running: Promise<void> | null = null;
  const pass = async () => {
    try {
      while ((await publishUnconfirmed(deps, options.graceMs)) === PAGE);
    } catch (error) {
      log.warn({ err: error }, 'unconfirmed registrations could not be written yet; retrying');
    }
  };
  const timer = setInterval(() => {
    if (running || !whole()) return;
    running = pass().finally(() => (running = null));
  }, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
