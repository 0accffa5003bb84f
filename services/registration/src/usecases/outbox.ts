import type { RegistrationDeps } from './deps.ts';
import { publishAgain } from './publish-registrations.ts';

const PAGE = 500;

/** One pass of the outbox: claims what waits longer than `graceMs` (its own request had its chance) and writes it again. */
export async function publishUnconfirmed(deps: RegistrationDeps, graceMs: number, limit = PAGE): Promise<number> {
  const due = await deps.store.outbox.claimDue(graceMs, limit);
  await publishAgain(deps, due);
  return due.length;
}

/**
 * One pass of the outbox's writer (the app repeats it as a periodic task while the state is
 * whole): a registration whose request did not see Kafka acknowledge its records (a produce
 * timeout whose record may land later, a crash between reservation and answer) keeps its email, so
 * its records are written, with the same ids, until Kafka has them and it becomes state, whether
 * or not the client ever asks again. Several instances may write the same registration: same ids,
 * deduped downstream.
 */
export async function publishAllUnconfirmed(deps: RegistrationDeps, graceMs: number): Promise<void> {
  while ((await publishUnconfirmed(deps, graceMs)) === PAGE);
}
