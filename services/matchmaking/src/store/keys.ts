/** Every Redis key of the service for one expo, under the expo's hash tag (one shard, atomic scripts). */
export function matchmakingKeys(expoId: string) {
  const p = `{${expoId}}:mm:`;
  return {
    meeting: (id: string) => `${p}meeting:${id}`,
    meetingsOf: (participantId: string) => `${p}of:${participantId}`,
    sessionMeetings: (sessionId: string) => `${p}session-meetings:${sessionId}`,
    /** The times a participant's meetings hold (a sorted set, see store/holds.ts). */
    participantHolds: (participantId: string) => `${p}participant-holds:${participantId}`,
    /** The times a session's table is held by the meetings seated at it (the same shape). */
    tableHolds: (sessionId: string, tableId: string) => `${p}table-holds:${sessionId}:${tableId}`,
    pair: (buyerId: string, exhibitorId: string) => `${p}pair:${buyerId}:${exhibitorId}`,
    sent: (participantId: string) => `${p}sent:${participantId}`,
    active: (participantId: string) => `${p}active:${participantId}`,
    expiry: () => `${p}expiry`,
    preferences: () => `${p}preferences`,
    requirements: (buyerId: string) => `${p}requirements:${buyerId}`,
    requirementBuyers: () => `${p}requirement-buyers`,
    session: (id: string) => `${p}session:${id}`,
    draft: (sessionId: string) => `${p}draft:${sessionId}`,
    changes: () => `${p}changes`,
    /** Meetings whose latest change Kafka has not acknowledged: meetingId scored by when (ms). */
    outbox: () => `${p}outbox`,
  };
}

export type MatchmakingKeys = ReturnType<typeof matchmakingKeys>;
