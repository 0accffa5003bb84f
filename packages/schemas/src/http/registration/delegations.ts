import { z } from 'zod';
import { Delegation, SubGroup } from '../../events/delegations.ts';
import { Id } from '../../primitives.ts';

export const SubGroupInput = SubGroup.extend({ subGroupId: Id.optional() });
export type SubGroupInput = z.infer<typeof SubGroupInput>;

/** `POST /v1/delegations` (admin); registration assigns the ids left out. */
export const RegisterDelegationBody = Delegation.omit({ delegationId: true }).extend({
  subGroups: z.array(SubGroupInput).max(200),
});
export type RegisterDelegationBody = z.infer<typeof RegisterDelegationBody>;

/** docs/http.md names this parameter `:id`. */
export const DelegationParams = z.object({ id: Id });
export type DelegationParams = z.infer<typeof DelegationParams>;

/** 201 of the POST and 200 of `GET /v1/delegations/:id`. */
export const DelegationResponse = Delegation;
export type DelegationResponse = z.infer<typeof DelegationResponse>;
