import { defineEvent } from '../event.ts';
import { MatchmakingSession } from '../http/matchmaking/sessions.ts';

/**
 * A matchmaking session's definition (slots, tables with interpreter languages, participants'
 * languages and unavailability), the whole of it on every record of the compacted
 * `matchmaking.sessions.v1` keyed by session.
 */
export const SessionDefined = defineEvent('session.defined', 1, MatchmakingSession);

export const SESSION_EVENTS = [SessionDefined] as const;
