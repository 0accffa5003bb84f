import { z } from 'zod';
import { defineEvent } from '../event.ts';
import { ChangedFields, DisplayName, Id, text } from '../primitives.ts';
import { BudgetBand } from '../vocab/budget-bands.ts';
import { CountryCode } from '../vocab/countries.ts';
import { SectorCode } from '../vocab/sectors.ts';

export const DELEGATION_KINDS = ['government', 'industry'] as const;
export const DelegationKind = z.enum(DELEGATION_KINDS);
export type DelegationKind = z.infer<typeof DelegationKind>;

/** A trade sub-group: the unit that buys, and so the unit matchmaking treats as a buyer. */
export const SubGroup = z.object({
  subGroupId: Id,
  name: DisplayName,
  nameLocal: DisplayName.optional(),
  interests: z.array(SectorCode).min(1).max(50),
  budgetBand: BudgetBand.optional(),
});
export type SubGroup = z.infer<typeof SubGroup>;

/**
 * A procurement delegation (CIIE: 39 government + 4 industry delegations, 780 sub-groups).
 * Government delegations come from a province or municipality of the host country, so `country`
 * alone says little: `origin` is the free-text province, city or ministry they represent.
 */
export const Delegation = z.object({
  delegationId: Id,
  name: DisplayName,
  nameLocal: DisplayName.optional(),
  kind: DelegationKind,
  country: CountryCode,
  origin: text(200).optional(),
  subGroups: z.array(SubGroup).max(200),
});
export type Delegation = z.infer<typeof Delegation>;

const DelegationRecord = Delegation.extend({ changed: ChangedFields });

export const DelegationRegistered = defineEvent('delegation.registered', 1, DelegationRecord);
export const DelegationUpdated = defineEvent('delegation.updated', 1, DelegationRecord);

export const DELEGATION_EVENTS = [DelegationRegistered, DelegationUpdated] as const;
