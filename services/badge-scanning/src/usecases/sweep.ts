import type { TopicEventInput } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import { recordId } from '../domain/scan-records.ts';
import type { SweptBadge } from '../store/sweep-store.ts';
import type { ScanningDeps } from './deps.ts';

/**
 * The records of one swept chunk. A sweep move has no device scan: the records of one badge share
 * a scan id that follows from the expo, the chunk and the badge, and each record's id from that and
 * its step, so a chunk written again (a timeout, a resumed sweep) is the same records. The chunk's
 * name (day, sweep time, position) and not the day alone: a badge swept out, back inside and swept
 * again the same day (a second sweep on demand) is a new move, not a copy consumers drop.
 */
function records(deps: ScanningDeps, chunk: string, swept: readonly SweptBadge[], at: string): Array<TopicEventInput<typeof TOPICS.scans>> {
  return swept.flatMap((badge) => {
    const scanId = recordId(deps.expoId, `sweep|${chunk}|${badge.badgeId}`, 0, 'sweep');
    return badge.steps.map(({ zoneId, fromZoneId, toZoneId, occupancyAfter }, i) => ({
      id: recordId(deps.expoId, scanId, i, `sweep:${zoneId}`),
      type: 'scan.accepted' as const,
      eventId: deps.expoId,
      occurredAt: at,
      data: {
        scanId,
        badgeId: badge.badgeId,
        attendeeId: badge.attendeeId,
        deviceId: null,
        gateId: null,
        zoneId,
        fromZoneId,
        toZoneId,
        direction: 'out' as const,
        scannedAt: at,
        flags: { inferred: false, offline: false },
        origin: 'sweep' as const,
        occupancyAfter: Math.max(0, occupancyAfter),
        decision: 'accepted' as const,
        reason: null,
      },
    }));
  });
}

/** Writes a chunk's records; once acknowledged, the chunk is no longer unconfirmed. */
async function publishChunk(deps: ScanningDeps, name: string, atMs: number, swept: readonly SweptBadge[]): Promise<void> {
  await deps.producer.send(deps.topics.scans, records(deps, name, swept, new Date(atMs).toISOString()));
  await deps.sweeps.confirm(name);
}

/**
 * Closing time: everyone still inside is walked out, zone by zone, in chunks (one script per
 * chunk, which also keeps the chunk until Kafka acknowledges its records). First, chunks an
 * earlier run applied but did not see acknowledged (killed midway, a timeout) are written again:
 * the same records, deduped downstream. A failure stops the sweep, keeping its chunks, to be run
 * again. Returns the number of badges swept.
 */
export async function sweepEveryone(deps: ScanningDeps, day: string, at: Date, renew: () => Promise<void> = async () => undefined): Promise<number> {
  let total = 0;
  for (const chunk of await deps.sweeps.unconfirmedChunks()) {
    await publishChunk(deps, chunk.name, chunk.atMs, chunk.swept);
    total += chunk.swept.length;
    await renew();
  }
  let cursor = '0';
  let n = 0;
  do {
    const name = `${day}|${at.getTime()}-${n++}`;
    const chunk = await deps.sweeps.sweepChunk(cursor, at.getTime(), name);
    cursor = chunk.cursor;
    if (chunk.swept.length === 0) continue;
    await publishChunk(deps, name, at.getTime(), chunk.swept);
    total += chunk.swept.length;
    await renew();
  } while (cursor !== '0');
  return total;
}
