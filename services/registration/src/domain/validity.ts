export interface ExpoDays {
  readonly firstDay: string;
  readonly lastDay: string;
}

/**
 * The first and last day a badge is valid: the days the attendee registered for, clamped to the
 * expo, or the whole expo when none were given. Dates are `YYYY-MM-DD`, so string order is date order.
 */
export function validityOf(days: readonly string[], expo: ExpoDays): { validFrom: string; validTo: string } | null {
  const inside = days.filter((d) => d >= expo.firstDay && d <= expo.lastDay).sort();
  if (days.length > 0 && inside.length === 0) return null;
  return { validFrom: inside[0] ?? expo.firstDay, validTo: inside.at(-1) ?? expo.lastDay };
}
