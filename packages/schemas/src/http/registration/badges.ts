import { z } from 'zod';
import { BadgeJwkSet } from '../../badge-keys.ts';
import { Id } from '../../primitives.ts';

/** `GET /v1/badges/:badgeId/badge.svg`. */
export const BadgeParams = z.object({ badgeId: Id });
export type BadgeParams = z.infer<typeof BadgeParams>;

/** `GET /v1/badge-keys`: every key a valid badge may be signed with, retired keys excluded. */
export const BadgeKeysResponse = BadgeJwkSet;
export type BadgeKeysResponse = z.infer<typeof BadgeKeysResponse>;
