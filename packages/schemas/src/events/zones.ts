import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { ChangedFields, DisplayName, Id } from '../primitives.ts';
import { AntiPassback } from '../vocab/anti-passback.ts';
import { isZoneKind, ZoneKind } from '../vocab/zone-kinds.ts';

/** A zone id may not be spelled like a zone kind: badge access lists mix both (see BadgeAccess). */
export const ZoneId = Id.refine((id) => !isZoneKind(id), 'a zone id may not be a zone kind name');

/**
 * A scanner device bound to a gate. Only the SHA-256 of its key travels (like an exhibitor's
 * `keyHash`), so badge-scanning can rebuild who may scan where from this topic alone.
 */
export const GateDevice = z.object({
  deviceId: Id,
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  active: z.boolean(),
});
export type GateDevice = z.infer<typeof GateDevice>;

export const Gate = z.object({
  gateId: Id,
  name: DisplayName.optional(),
  devices: z.array(GateDevice).max(100).optional(),
});
export type Gate = z.infer<typeof Gate>;

/**
 * A node of the venue tree. Gates join the zone to its parent (`in` enters this zone). `parentId`
 * null is the root (the venue); `capacity` null means uncounted against a limit.
 */
export const Zone = z.object({
  zoneId: ZoneId,
  name: DisplayName,
  kind: ZoneKind,
  parentId: Id.nullable(),
  capacity: z.number().int().positive().nullable(),
  antiPassback: AntiPassback,
  gates: z.array(Gate).max(200),
});
export type Zone = z.infer<typeof Zone>;

export const ZoneDefined = defineEvent('zone.defined', 1, Zone.extend({ changed: ChangedFields }));

/**
 * A removal is a record, not a tombstone, so that consumers that keep per-zone aggregates learn
 * the zone is gone and the fact survives in the compacted topic.
 */
export const ZoneRemoved = defineEvent('zone.removed', 1, z.object({ zoneId: ZoneId, removedAt: IsoDateTime }));

export const ZONE_EVENTS = [ZoneDefined, ZoneRemoved] as const;
