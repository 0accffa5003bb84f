import type { GroundTruthSnapshot } from '@expo/simulator';
import type { CheckResult } from './check-result.ts';

export interface GroundTruthOptions {
  readonly truth: GroundTruthSnapshot;
  readonly zoneIds: readonly string[];
  /** Every badge-scanning instance: each must show the same occupancy. */
  readonly scanningUrls: readonly string[];
  readonly token: string;
  /** Steps were in flight at once: mismatches between `accepted` and `capacity_full` alone are races of the workload, counted apart (the capacity check holds the log to the limits instead). */
  readonly concurrent: boolean;
}

/**
 * The simulator's own check, under faults: every decision the platform answered was the one its
 * rules give for what the simulator did (no mismatch), no request failed, and every instance's
 * occupancy of every zone equals where the simulator knows people are.
 */
export async function checkGroundTruth(options: GroundTruthOptions): Promise<CheckResult> {
  const { truth } = options;
  const races = options.concurrent ? truth.mismatches.capacityRaces : 0;
  const problems: string[] = [
    ...truth.mismatches.samples
      .filter((m) => !(options.concurrent && [m.predicted, m.actual].every((d) => d === 'accepted' || d === 'capacity_full')))
      .map((m) => `scan ${m.scanId} into ${m.zoneId} (${m.direction}): predicted ${m.predicted}, answered ${m.actual}`),
    ...truth.errors.samples,
  ];
  let zoneDifferences = 0;
  for (const url of options.scanningUrls) {
    const response = await fetch(`${url}/v1/occupancy`, { headers: { authorization: `Bearer ${options.token}` } });
    if (!response.ok) {
      problems.push(`${url}/v1/occupancy answered ${response.status}`);
      zoneDifferences++;
      continue;
    }
    const { zones } = (await response.json()) as { zones: Array<{ zoneId: string; occupancy: number }> };
    for (const zoneId of options.zoneIds) {
      const shown = zones.find((z) => z.zoneId === zoneId)?.occupancy ?? 0;
      const expected = truth.occupancy[zoneId] ?? 0;
      if (shown !== expected) {
        zoneDifferences++;
        if (problems.length < 20) problems.push(`${url}: zone ${zoneId} shows ${shown}, the simulator knows ${expected}`);
      }
    }
  }
  return {
    name: 'ground-truth',
    ok: truth.mismatches.count - races === 0 && truth.errors.count === 0 && zoneDifferences === 0,
    checked: truth.scans.posted,
    counts: {
      mismatched: truth.mismatches.count - races,
      capacityRaces: races,
      failedRequests: truth.errors.count,
      zoneDifferences,
      accepted: truth.scans.accepted,
      offlineUploaded: truth.scans.offlineUploaded,
    },
    problems: problems.slice(0, 20),
  };
}
