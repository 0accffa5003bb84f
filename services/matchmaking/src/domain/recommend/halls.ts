/**
 * Which hall a visitor entered, matched to an exhibitor's free-text `hall` ("5.1", "Hall 5.1").
 * Both sides are normalised (lower case, only letters, digits and dots), and each side also counts
 * without a leading "hall": an exhibitor is in a zone when one of its hall keys is one of the
 * zone's (from its id and its name).
 */
export function normaliseHall(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}.]/gu, '');
}

/** The keys a text can match by: its normal form, and that without a leading "hall" (never empty). */
export function hallKeys(text: string): string[] {
  const key = normaliseHall(text);
  const bare = key.startsWith('hall') ? key.slice('hall'.length) : key;
  return [...new Set([key, bare])].filter((k) => k.length > 0);
}

/** A zone's keys: from its id and, when known, its name. */
export function zoneHallKeys(zone: { readonly zoneId: string; readonly name?: string }): string[] {
  return [...new Set([...hallKeys(zone.zoneId), ...(zone.name === undefined ? [] : hallKeys(zone.name))])];
}

/** Whether an exhibitor whose `hall` reads so is in that zone. */
export function hallMatchesZone(hall: string, zone: { readonly zoneId: string; readonly name?: string }): boolean {
  const keys = new Set(zoneHallKeys(zone));
  return hallKeys(hall).some((k) => keys.has(k));
}
