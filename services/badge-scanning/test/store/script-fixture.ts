import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Zone } from '@expo/schemas';
import { loadLuaDir, ScriptRunner, type RedisClient } from '@expo/service-kit';
import { connectRedis, keysMatching, testNames } from '@expo/testkit';
import type { DecidedScan } from '../../src/domain/decided-scan.ts';
import type { DecideInput } from '../../src/store/decision-codec.ts';
import { scanningKeys, type ScanningKeys } from '../../src/store/keys.ts';
import { ScanStore } from '../../src/store/scan-store.ts';
import { ZoneStore } from '../../src/store/zone-store.ts';

/** When the fixture's scans are made. */
export const SCANNED_AT_MS = Date.parse('2024-11-06T02:00:00Z');

export const DEVICE = 'device-7';

export interface ScriptFixture {
  readonly redis: RedisClient;
  readonly scripts: ScriptRunner;
  readonly keys: ScanningKeys;
  readonly scans: ScanStore;
  /** Decides one scan of DEVICE at gate-hall-1 through scan.lua, answering its new decision. */
  decide(scanId: string, badgeId: string, overrides?: Partial<DecideInput>): Promise<DecidedScan>;
  /** Deletes the expo's keys and closes the connection. */
  close(): Promise<void>;
}

const zone = (zoneId: string, parentId: string | null, capacity: number | null, kind: Zone['kind'], gateId: string): Zone => ({
  zoneId,
  name: zoneId,
  kind,
  parentId,
  capacity,
  antiPassback: 'strict',
  gates: [{ gateId }],
});

/**
 * A scanning expo of the test's own on the shared Redis, its scripts unguarded (no state
 * lifecycle): a venue (`necc`) holding one hall (`hall-1`, capacity 100, gate `gate-hall-1`).
 */
export async function scriptFixture(label: string): Promise<ScriptFixture> {
  const names = testNames(label);
  const keys = scanningKeys(names.expoId);
  const redis = connectRedis();
  const scripts = new ScriptRunner(redis, loadLuaDir(fileURLToPath(new URL('../../src/lua', import.meta.url))));
  const scans = new ScanStore(redis, scripts, keys, 600);
  const zones = new ZoneStore(redis, keys);
  await zones.save(zone('necc', null, null, 'venue', 'gate-necc'));
  await zones.save(zone('hall-1', 'necc', 100, 'hall', 'gate-hall-1'));
  return {
    redis,
    scripts,
    keys,
    scans,
    async decide(scanId, badgeId, overrides = {}) {
      const context = {
        gateId: 'gate-hall-1',
        deviceId: DEVICE,
        offline: false,
        earliestMs: SCANNED_AT_MS - 3_600_000,
        latestMs: SCANNED_AT_MS + 3_600_000,
        callId: randomUUID(),
      };
      const input: DecideInput = {
        scanId,
        scannedAt: new Date(SCANNED_AT_MS).toISOString(),
        badgeId,
        attendeeId: `attendee-of-${badgeId}`,
        category: 'buyer',
        direction: 'in',
        preReason: null,
        access: ['hall'],
        scannedAtMs: SCANNED_AT_MS,
        ...overrides,
      };
      const [outcome] = await scans.decide(context, [input]);
      if (outcome?.kind !== 'new') throw new Error(`scan ${scanId} was not decided afresh: ${outcome?.kind}`);
      return outcome.decision;
    },
    async close() {
      for (const key of await keysMatching(redis, `{${names.expoId}}:*`)) await redis.del(key);
      await redis.quit();
    },
  };
}
