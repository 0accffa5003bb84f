import { z } from 'zod';

/** docs/zones-and-occupancy.md, "Anti-passback": how a zone treats a badge seen where it is not expected. */
export const ANTI_PASSBACK_POLICIES = ['strict', 'soft', 'off'] as const;
export const AntiPassback = z.enum(ANTI_PASSBACK_POLICIES);
export type AntiPassback = z.infer<typeof AntiPassback>;
