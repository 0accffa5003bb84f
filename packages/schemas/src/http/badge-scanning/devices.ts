import { z } from 'zod';
import { BadgePublicJwk } from '../../badge-keys.ts';
import { IsoDateTime } from '../../event.ts';
import { Zone } from '../../events/zones.ts';
import { Id } from '../../primitives.ts';

/** `POST /v1/devices` (admin). */
export const CreateDeviceBody = z.object({ gateId: Id });
export type CreateDeviceBody = z.infer<typeof CreateDeviceBody>;

/** 201 of `POST /v1/devices` and 200 of `.../rotate`: the key is shown once, only a hash is kept. */
export const DeviceKeyResponse = z.object({ deviceId: Id, gateId: Id, deviceKey: z.string().min(16) });
export type DeviceKeyResponse = z.infer<typeof DeviceKeyResponse>;

export const DeviceParams = z.object({ deviceId: Id });
export type DeviceParams = z.infer<typeof DeviceParams>;

/** `GET /v1/devices/sync?since=`: `since` is the cursor of the previous bundle (none at first). */
export const DeviceSyncQuery = z.object({ since: z.string().min(1).max(256).optional() });
export type DeviceSyncQuery = z.infer<typeof DeviceSyncQuery>;

export const BadgeRevocationEntry = z.object({ badgeId: Id, revokedAt: IsoDateTime });
export type BadgeRevocationEntry = z.infer<typeof BadgeRevocationEntry>;

/**
 * What a device needs to decide scans on its own while offline: the expo it serves (to reject
 * badges of another edition), the public keys, revocations since its cursor, and its gate's zone
 * with the zone rules. `serverTime` lets the device notice its own clock drift.
 */
export const DeviceSyncResponse = z.object({
  eventId: z.string().min(1).max(64),
  serverTime: IsoDateTime,
  keys: z.array(BadgePublicJwk),
  revocations: z.array(BadgeRevocationEntry),
  gate: z.object({ gateId: Id, zoneId: Id }),
  zone: Zone.omit({ gates: true }),
  cursor: z.string().min(1).max(256),
});
export type DeviceSyncResponse = z.infer<typeof DeviceSyncResponse>;
