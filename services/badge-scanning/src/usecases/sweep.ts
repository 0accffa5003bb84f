import type { TopicEventInput } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { ScriptRunner, RedisClient } from '@expo/service-kit';
import { recordId } from '../domain/scan-records.ts';
import type { ScanningKeys } from '../store/keys.ts';
import type { ScanningDeps } from './deps.ts';

type RawStep = [string, 'out', string, string, number];
interface Swept {
  b: string;
  a: string;
  prev: string;
  m: RawStep[];
}

export interface SweepDeps extends ScanningDeps {
  readonly redis: RedisClient;
  readonly scripts: ScriptRunner;
  readonly keys: ScanningKeys;
}

const CHUNK = 500;

/**
 * The records of one swept chunk. A sweep move has no device scan: the records of one badge share
 * a scan id that follows from the expo, the chunk and the badge, and each record's id from that and
 * its step, so a chunk written again (a timeout, a resumed sweep) is the same records. The chunk's
 * name (day, sweep time, position) and not the day alone: a badge swept out, back inside and swept
 * again the same day (a second sweep on demand) is a new move, not a copy consumers drop.
 */
function records(deps: ScanningDeps, chunk: string, swept: readonly Swept[], at: string): Array<TopicEventInput<typeof TOPICS.scans>> {
  return swept.flatMap((badge) => {
    const scanId = recordId(deps.expoId, `sweep|${chunk}|${badge.b}`, 0, 'sweep');
    return badge.m.map(([zoneId, , from, to, after], i) => ({
      id: recordId(deps.expoId, scanId, i, `sweep:${zoneId}`),
      type: 'scan.accepted' as const,
      eventId: deps.expoId,
      occurredAt: at,
      data: {
        scanId,
        badgeId: badge.b,
        attendeeId: badge.a,
        deviceId: null,
        gateId: null,
        zoneId,
        fromZoneId: from,
        toZoneId: to === '' ? null : to,
        direction: 'out' as const,
        scannedAt: at,
        flags: { inferred: false, offline: false },
        origin: 'sweep' as const,
        occupancyAfter: Math.max(0, after),
        decision: 'accepted' as const,
        reason: null,
      },
    }));
  });
}

/** Writes a chunk's records; once acknowledged, the chunk is no longer unconfirmed. */
async function publishChunk(deps: SweepDeps, name: string, atMs: number, swept: readonly Swept[]): Promise<void> {
  await deps.producer.send(deps.topics.scans, records(deps, name, swept, new Date(atMs).toISOString()));
  await deps.redis.hdel(deps.keys.sweepUnconfirmed(), name);
}

/**
 * Closing time: everyone still inside is walked out, zone by zone, in chunks (one script per
 * chunk, which also keeps the chunk until Kafka acknowledges its records). First, chunks an
 * earlier run applied but did not see acknowledged (killed midway, a timeout) are written again:
 * the same records, deduped downstream. A failure stops the sweep, keeping its chunks, to be run
 * again. Returns the number of badges swept.
 */
export async function sweepEveryone(deps: SweepDeps, day: string, at: Date, renew: () => Promise<void> = async () => undefined): Promise<number> {
  const k = deps.keys;
  let total = 0;
  for (const [name, value] of Object.entries(await deps.redis.hgetall(k.sweepUnconfirmed()))) {
    const bar = value.indexOf('|');
    const swept = JSON.parse(value.slice(bar + 1)) as Swept[];
    await publishChunk(deps, name, Number(value.slice(0, bar)), swept);
    total += swept.length;
    await renew();
  }
  let cursor = '0';
  let n = 0;
  do {
    const name = `${day}|${at.getTime()}-${n++}`;
    const [next, json] = await deps.scripts.run<[string, string]>(
      'sweep',
      [k.zoneMeta(), k.location(), k.occupancy(), k.lastMove(), k.badgeAttendee(), k.sweepUnconfirmed()],
      [cursor, CHUNK, at.getTime(), name],
    );
    cursor = next;
    const swept = JSON.parse(json) as Swept[] | Record<string, never>;
    if (!Array.isArray(swept) || swept.length === 0) continue;
    await publishChunk(deps, name, at.getTime(), swept);
    total += swept.length;
    await renew();
  } while (cursor !== '0');
  return total;
}
