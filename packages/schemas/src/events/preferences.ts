import { z } from 'zod';
import { defineEvent, IsoDateTime } from '../event.ts';
import { Id } from '../primitives.ts';
import { PreferenceLevel } from '../http/matchmaking/preferences.ts';

/** The record key of one party's preference about another: `<fromId>|<toId>`. */
export function preferencePairId(fromId: string, toId: string): string {
  return `${fromId}|${toId}`;
}

/**
 * One party's latest wish about meeting another (must, nice or no), on the compacted
 * `matchmaking.preferences.v1` keyed by the ordered pair.
 */
export const PreferenceSet = defineEvent(
  'preference.set',
  1,
  z.object({
    pairId: z.string().min(3).max(260),
    fromId: Id,
    toId: Id,
    level: PreferenceLevel,
    setAt: IsoDateTime,
  }),
);

export const PREFERENCE_EVENTS = [PreferenceSet] as const;
