import type { ScanTuple } from '../domain/scan-tuple.ts';
import type { AnalyticsKeys } from './keys.ts';

/** The KEYS and ARGV of one script call. */
export interface ScriptCall {
  readonly keys: string[];
  readonly args: Array<string | number>;
}

/**
 * Where a tuple's keys start in KEYS (1-based, as the script reads them): its day's group (figures,
 * too late, gates, gate minutes, peaks, visitors, visitor mix), its zone and day's group (1-minute
 * bucket hash, dwell, day HyperLogLog), its zone's minute HyperLogLog, its hour's dedupe marks.
 */
export type ScanRefs = [day: number, zoneDay: number, minute: number, hour: number];

/**
 * One apply-scans.lua call for a partition's batch: the keys every batch touches, then each distinct
 * key group of the batch once, which the tuples' refs point at. Every key the script may touch is in
 * KEYS, whether or not the record ends up writing it (a rejected scan has no visitors to add).
 */
export function applyScansCall(keys: AnalyticsKeys, where: string, tuples: readonly ScanTuple[], dedupeTtlSeconds: number): ScriptCall {
  const list = [keys.occupancy, keys.open, keys.attendees, keys.entered, keys.zonesSeen, keys.days, keys.dirty, keys.offsets, keys.positions(where)];
  // A group is known by its first key's name, which no other group shares.
  const starts = new Map<string, number>();
  const group = (first: string, rest: () => string[]): number => {
    let start = starts.get(first);
    if (start === undefined) {
      start = list.length + 1;
      starts.set(first, start);
      list.push(first, ...rest());
    }
    return start;
  };
  const refs = tuples.map((t): ScanRefs => {
    const [, , hour, , , day, zone, , minute] = t;
    return [
      group(keys.day(day), () => [keys.tooLate(day), keys.gates(day), keys.gateMinutes(day), keys.peaks(day), keys.visitors(day), keys.mix(day)]),
      group(keys.bucketHash(zone, '1m', day), () => [keys.dwell(zone, day), keys.zoneDayHll(zone, day)]),
      group(keys.bucketHll(zone, '1m', minute), () => []),
      group(keys.seen(hour), () => []),
    ];
  });
  return { keys: list, args: [dedupeTtlSeconds, where, JSON.stringify(tuples), JSON.stringify(refs)] };
}
