import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The demo expo `pnpm dev` runs: on the venue's days starting the day it was first started. */
export interface DevExpo {
  readonly firstDay: string;
  readonly lastDay: string;
}

const DAYS = 6;
const DAY_MS = 86_400_000;

/** Today's date at the venue (the CIIE's Shanghai), `YYYY-MM-DD`. */
export function venueToday(timeZone = 'Asia/Shanghai', now = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * Chosen once per data folder and kept there: badges carry their valid days, so the demo's days
 * must stay what they were when it was seeded, across restarts.
 */
export function devExpo(dataDir: string, now = Date.now()): DevExpo {
  const file = join(dataDir, 'dev-expo.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevExpo;
  const firstDay = venueToday('Asia/Shanghai', now);
  const lastDay = new Date(Date.parse(`${firstDay}T00:00:00Z`) + (DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ firstDay, lastDay }, null, 2)}\n`);
  return { firstDay, lastDay };
}

/** What the services of `pnpm dev` get for the demo expo. */
export function devExpoEnv(expo: DevExpo): NodeJS.ProcessEnv {
  return {
    EXPO_FIRST_DAY: expo.firstDay,
    EXPO_LAST_DAY: expo.lastDay,
    // The seed registers the demo's visitors one by one on the public route, all from loopback.
    REGISTRATION_RATE_LIMIT: '100000',
    // A simulated gate scans days of visitors in minutes: far above a real device's rate limit.
    SCAN_RATE_LIMIT_PER_MINUTE: '1000000',
    SCAN_BATCH_RATE_LIMIT_PER_MINUTE: '1000000',
    // The simulator runs the expo's days faster than the clock: its scanners' times are the
    // simulated ones, so the device clock bound spans the expo's days instead of 5 minutes.
    SCAN_CLOCK_BOUND_SECONDS: String(DAYS * 24 * 3600),
  };
}
