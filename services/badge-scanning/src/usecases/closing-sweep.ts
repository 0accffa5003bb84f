import { randomUUID } from 'node:crypto';
import { localDateFormatter } from '@expo/badges';
import type { Config } from '../config.ts';
import { sweepEveryone, type SweepDeps } from './sweep.ts';

function localTime(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (at) => format.format(at);
}

interface SweepLog {
  info(o: object, m: string): void;
  error(o: object, m: string): void;
}

/**
 * One pass of the closing sweep, which runs once per local day at CLOSING_SWEEP_AT (the app repeats
 * the pass as a periodic task). With several instances, the one holding the day's lease (SET NX
 * PX, renewed per chunk) sweeps; the day counts as swept only once every chunk's records are
 * acknowledged. A sweep that failed, or whose instance was killed (its lease runs out), is resumed
 * by the next pass of any instance.
 */
export function closingSweepPass(
  deps: SweepDeps,
  config: Pick<Config, 'CLOSING_SWEEP_AT' | 'EXPO_TIME_ZONE'>,
  log: SweepLog,
  options: { leaseMs?: number } = {},
): () => Promise<void> {
  const leaseMs = options.leaseMs ?? 60_000;
  if (config.CLOSING_SWEEP_AT === 'off') return async () => undefined;
  const day = localDateFormatter(config.EXPO_TIME_ZONE);
  const time = localTime(config.EXPO_TIME_ZONE);
  const tick = async () => {
    const now = new Date(deps.now());
    if (time(now) < config.CLOSING_SWEEP_AT) return;
    const today = day(now);
    if ((await deps.redis.hexists(deps.keys.sweptDays(), today)) === 1) return;
    const lease = deps.keys.sweepLease(today);
    const token = randomUUID();
    if ((await deps.redis.set(lease, token, 'PX', leaseMs, 'NX')) !== 'OK') return;
    const renew = async () => {
      await deps.redis.set(lease, token, 'PX', leaseMs, 'XX');
    };
    try {
      const swept = await sweepEveryone(deps, today, now, renew);
      await deps.redis.hset(deps.keys.sweptDays(), today, now.toISOString());
      log.info({ day: today, swept }, 'closing sweep done');
    } catch (error) {
      log.error({ err: error, day: today }, 'closing sweep failed; it will be resumed');
    } finally {
      if ((await deps.redis.get(lease).catch(() => null)) === token) await deps.redis.del(lease).catch(() => undefined);
    }
  };
  return tick;
}
