import type { TopicEventInput } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';
import type { Redis } from 'ioredis';
import type { ScriptRunner } from '@expo/service-kit';
import { randomUUID } from 'node:crypto';
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
  readonly redis: Redis;
  readonly scripts: ScriptRunner;
  readonly keys: ScanningKeys;
}

const CHUNK = 500;

function records(deps: ScanningDeps, swept: readonly Swept[], at: string): Array<TopicEventInput<typeof TOPICS.scans>> {
  return swept.flatMap((badge) => {
    // A sweep move has no device scan: the records of one badge share a scan id of their own.
    const scanId = randomUUID();
    return badge.m.map(([zoneId, , from, to, after]) => ({
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

/**
 * Closing time: everyone still inside is walked out, zone by zone, in chunks (one script per
 * chunk, then its records). A chunk Kafka refuses is put back, and the sweep stops there to be
 * run again. Returns the number of badges swept.
 */
export async function sweepEveryone(deps: SweepDeps, at: Date): Promise<number> {
  const k = deps.keys;
  let cursor = '0';
  let total = 0;
  do {
    const [next, json] = await deps.scripts.run<[string, string]>('sweep', [k.zoneMeta(), k.location(), k.occupancy(), k.lastMove(), k.badgeAttendee()], [cursor, CHUNK, at.getTime()]);
    cursor = next;
    const swept = JSON.parse(json) as Swept[] | Record<string, never>;
    if (!Array.isArray(swept) || swept.length === 0) continue;
    try {
      await deps.producer.send(deps.topics.scans, records(deps, swept, at.toISOString()));
    } catch (error) {
      for (const badge of swept) {
        const deltas = badge.m.flatMap(([zone]) => [zone, 1]);
        await deps.scripts.run('revert', [k.decision(`sweep:${badge.b}`), k.location(), k.lastMove(), k.occupancy()], [badge.b, '', badge.prev, '', '', ...deltas]);
      }
      throw error;
    }
    total += swept.length;
  } while (cursor !== '0');
  return total;
}
