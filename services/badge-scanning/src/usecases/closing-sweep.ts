import { localDateFormatter } from '@expo/badges';
import type { Config } from '../config.ts';
import { sweepEveryone, type SweepDeps } from './sweep.ts';

function localTime(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (at) => format.format(at);
}

/**
 * Runs the closing sweep once per local day at CLOSING_SWEEP_AT. With several instances the first
 * to claim the day (SET NX in Redis) sweeps; a failed sweep releases the claim to be tried again.
 */
export function startClosingSweep(deps: SweepDeps, config: Pick<Config, 'CLOSING_SWEEP_AT' | 'EXPO_TIME_ZONE'>, ready: () => boolean, log: { info(o: object, m: string): void; error(o: object, m: string): void }): { stop(): void } {
  if (config.CLOSING_SWEEP_AT === 'off') return { stop: () => undefined };
  const day = localDateFormatter(config.EXPO_TIME_ZONE);
  const time = localTime(config.EXPO_TIME_ZONE);
  const tick = async () => {
    const now = new Date(deps.now());
    if (!ready() || time(now) < config.CLOSING_SWEEP_AT) return;
    const today = day(now);
    const claimed = await deps.redis.hsetnx(deps.keys.sweptDays(), today, now.toISOString());
    if (claimed !== 1) return;
    try {
      const swept = await sweepEveryone(deps, now);
      log.info({ day: today, swept }, 'closing sweep done');
    } catch (error) {
      await deps.redis.hdel(deps.keys.sweptDays(), today);
      log.error({ err: error, day: today }, 'closing sweep failed; it will be retried');
    }
  };
  const timer = setInterval(() => void tick().catch(() => undefined), 30_000);
  return { stop: () => clearInterval(timer) };
}
