export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The bucket sizes kept, in minutes: the 1-minute base and its rollups. */
export const BUCKET_MINUTES = { '1m': 1, '5m': 5, '1h': 60 } as const;
export type BucketName = keyof typeof BUCKET_MINUTES;

export function bucketStart(ms: number, minutes: number): number {
  const size = minutes * MINUTE_MS;
  return Math.floor(ms / size) * size;
}

/**
 * The venue's local calendar: days are local days (a scan at 00:30 in Shanghai is that day).
 * Offsets are looked up once per hour of time: formatting a date per event would cost more than
 * the rest of the event's work.
 */
export class ExpoCalendar {
  readonly #format: Intl.DateTimeFormat;
  readonly #dayByHour = new Map<number, string>();

  constructor(readonly timeZone: string) {
    this.#format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  }

  /** The local day (YYYY-MM-DD) of an instant. */
  dayOf(ms: number): string {
    const hour = Math.floor(ms / HOUR_MS);
    let day = this.#dayByHour.get(hour);
    if (day === undefined) {
      day = this.#format.format(new Date(hour * HOUR_MS));
      if (this.#dayByHour.size > 10_000) this.#dayByHour.clear();
      this.#dayByHour.set(hour, day);
    }
    return day;
  }

  /** The first instant of a local day (whole-hour offsets, as every expo time zone has). */
  dayStart(day: string): number {
    const utcMidnight = Date.parse(`${day}T00:00:00Z`);
    for (let offsetHours = -14; offsetHours <= 14; offsetHours++) {
      const candidate = utcMidnight - offsetHours * HOUR_MS;
      if (this.dayOf(candidate) === day && this.dayOf(candidate - HOUR_MS) !== day) return candidate;
    }
    throw new Error(`cannot place day ${day} in ${this.timeZone}`);
  }

  /** Every local day that [from, to) touches. */
  daysBetween(from: number, to: number): string[] {
    const days: string[] = [];
    for (let t = bucketStart(from, 60); t < to; t += HOUR_MS) {
      const day = this.dayOf(t);
      if (days.at(-1) !== day) days.push(day);
    }
    return days;
  }
}
