import type { RedisClient } from '@expo/service-kit';
import type { Zone } from '@expo/schemas';
import type { ScanningKeys } from './keys.ts';
import { withZoneLock } from './zone-lock.ts';

/** What the scan script reads of a zone: `parent|capacity|antiPassback|kind`. */
export function zoneMetaOf(zone: Zone): string {
  return [zone.parentId ?? '', zone.capacity ?? '', zone.antiPassback, zone.kind].join('|');
}

export interface DeviceRef {
  readonly deviceId: string;
  readonly gateId: string;
}

/**
 * Zones with their gates and devices, as snapshots (the shape of `scanning.zones.v1`) plus the
 * indexes the hot path reads: zone meta, gate → zone, device key hash → device.
 */
export class ZoneStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: ScanningKeys,
  ) {}

  /** Runs a read-modify-publish of venue snapshots alone (admin writes are rare; one lock is enough). */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    return withZoneLock(this.redis, this.keys.zoneLock('venue'), work);
  }

  async get(zoneId: string): Promise<Zone | null> {
    const json = await this.redis.hget(this.keys.zones(), zoneId);
    return json ? (JSON.parse(json) as Zone) : null;
  }

  async all(): Promise<Zone[]> {
    const all = await this.redis.hgetall(this.keys.zones());
    return Object.values(all)
      .map((json) => JSON.parse(json) as Zone)
      .sort((a, b) => a.zoneId.localeCompare(b.zoneId));
  }

  async zoneOfGate(gateId: string): Promise<string | null> {
    return this.redis.hget(this.keys.gates(), gateId);
  }

  async deviceByKeyHash(keyHash: string): Promise<DeviceRef | null> {
    const value = await this.redis.hget(this.keys.deviceKeys(), keyHash);
    if (!value) return null;
    const [deviceId, gateId] = value.split('|');
    return deviceId && gateId ? { deviceId, gateId } : null;
  }

  /** Writes a zone's snapshot and its indexes; what the previous snapshot had and this one lacks goes. */
  async save(zone: Zone): Promise<void> {
    const previous = await this.get(zone.zoneId);
    const k = this.keys;
    const tx = this.redis.multi();
    for (const gate of previous?.gates ?? []) {
      if (!zone.gates.some((g) => g.gateId === gate.gateId)) tx.hdel(k.gates(), gate.gateId);
      for (const device of gate.devices ?? []) tx.hdel(k.deviceKeys(), device.keyHash);
    }
    for (const gate of zone.gates) {
      tx.hset(k.gates(), gate.gateId, zone.zoneId);
      for (const device of gate.devices ?? []) {
        if (device.active) tx.hset(k.deviceKeys(), device.keyHash, `${device.deviceId}|${gate.gateId}`);
      }
    }
    tx.hset(k.zoneMeta(), zone.zoneId, zoneMetaOf(zone));
    tx.hset(k.zones(), zone.zoneId, JSON.stringify(zone));
    await tx.exec();
  }

  async remove(zoneId: string): Promise<void> {
    const previous = await this.get(zoneId);
    const tx = this.redis.multi();
    for (const gate of previous?.gates ?? []) {
      tx.hdel(this.keys.gates(), gate.gateId);
      for (const device of gate.devices ?? []) tx.hdel(this.keys.deviceKeys(), device.keyHash);
    }
    tx.hdel(this.keys.zoneMeta(), zoneId);
    tx.hdel(this.keys.zones(), zoneId);
    await tx.exec();
  }

  /** The zone holding a gate or device, by scanning the (few hundred) zones. */
  async zoneWithDevice(deviceId: string): Promise<Zone | null> {
    return (await this.all()).find((z) => z.gates.some((g) => g.devices?.some((d) => d.deviceId === deviceId))) ?? null;
  }

  async occupancy(): Promise<Map<string, number>> {
    const all = await this.redis.hgetall(this.keys.occupancy());
    return new Map(Object.entries(all).map(([zone, count]) => [zone, Number(count)]));
  }
}
