/** Every Redis key of the service for one expo, under the expo's hash tag (one shard, atomic scripts). */
export function matchmakingKeys(expoId: string) {
  const p = `{${expoId}}:mm:`;
  return {
    meeting: (id: string) => `${p}meeting:${id}`,
    meetingsOf: (participantId: string) => `${p}of:${participantId}`,
    sessionMeetings: (sessionId: string) => `${p}session-meetings:${sessionId}`,
    /** Who holds a participant at a slot (by its start instant). */
    busy: (participantId: string, slotStart: string) => `${p}busy:${participantId}:${Date.parse(slotStart)}`,
    table: (sessionId: string, tableId: string, slotStart: string) => `${p}table:${sessionId}:${tableId}:${Date.parse(slotStart)}`,
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
  };
}

export type MatchmakingKeys = ReturnType<typeof matchmakingKeys>;
