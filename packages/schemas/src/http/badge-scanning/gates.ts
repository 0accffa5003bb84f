import { z } from 'zod';
import { DisplayName, Id } from '../../primitives.ts';

export const GateParams = z.object({ gateId: Id });
export type GateParams = z.infer<typeof GateParams>;

/** `PUT /v1/gates/:gateId` (admin): the gate leads from the zone's parent into `zoneId`. */
export const PutGateBody = z.object({ zoneId: Id, name: DisplayName.optional() });
export type PutGateBody = z.infer<typeof PutGateBody>;

export const GateResponse = PutGateBody.extend({ gateId: Id });
export type GateResponse = z.infer<typeof GateResponse>;
