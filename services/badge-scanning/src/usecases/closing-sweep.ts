import { randomUUID } from 'node:crypto';
import { localDateFormatter } from '@expo/badges';
import type { Config } from '../config.ts';
import type { ScanningDeps } from './deps.ts';
import { sweepEveryone } from './sweep.ts';

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
  deps: ScanningDeps,
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
    if (await deps.sweeps.isSwept(today)) return;
    const token = randomUUID();
    if (!(await deps.sweeps.takeLease(today, token, leaseMs))) return;
    const renew = () => deps.sweeps.renewLease(today, token, leaseMs);
    try {
      const swept = await sweepEveryone(deps, today, now, renew);
      await deps.sweeps.markSwept(today, now);
      log.info({ day: today, swept }, 'closing sweep done');
    } catch (error) {
      log.error({ err: error, day: today }, 'closing sweep failed; it will be resumed');
    } finally {
      await deps.sweeps.releaseLease(today, token);
    }
  };
  return tick;
}
