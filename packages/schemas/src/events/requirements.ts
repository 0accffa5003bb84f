import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { Id } from '../primitives.ts';
import { PurchaseRequirement } from '../http/matchmaking/requirements.ts';

/**
 * A buyer's purchase requirement, one record per requirement on the compacted
 * `matchmaking.requirements.v1` (keyed by requirement, so two posted at once never overwrite each
 * other): matchmaking rebuilds its requirements from the topic.
 */
export const RequirementPosted = defineEvent('requirement.posted', 1, PurchaseRequirement);

/** The buyer withdrew it: the requirement's last record, which compaction keeps. */
export const RequirementWithdrawn = defineEvent('requirement.withdrawn', 1, z.object({ requirementId: Id, buyerId: Id, withdrawnAt: IsoDateTime }));

export const REQUIREMENT_EVENTS = [RequirementPosted, RequirementWithdrawn] as const;
