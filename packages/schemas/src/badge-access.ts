import { z } from 'zod';
import { text } from './primitives.ts';
import { isZoneKind, type ZoneKind } from './vocab/zone-kinds.ts';

/**
 * Where a badge may go: each entry is a zone kind (every zone of that kind) or one zone id. One flat
 * list, because it travels inside the badge's QR code where every byte counts; zone ids are
 * therefore never spelled like a zone kind (see `ZoneId`).
 */
export const BadgeAccess = z.array(text(128)).max(64);
export type BadgeAccess = z.infer<typeof BadgeAccess>;

export function accessAllows(access: readonly string[], zone: { zoneId: string; kind: ZoneKind }): boolean {
  return access.includes(zone.kind) || access.includes(zone.zoneId);
}

/** The zone kinds named in an access list (the rest are zone ids). */
export function accessZoneKinds(access: readonly string[]): ZoneKind[] {
  return access.filter(isZoneKind);
}
