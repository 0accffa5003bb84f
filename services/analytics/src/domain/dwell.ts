/** Histogram bins in minutes; the last one is open-ended. */
export const DWELL_BIN_EDGES = [0, 5, 15, 30, 60, 120, 240] as const;

export interface DwellDistribution {
  readonly visits: number;
  readonly medianMinutes: number | null;
  readonly p90Minutes: number | null;
  readonly bins: Array<{ fromMinutes: number; toMinutes: number | null; visits: number }>;
}

/** Nearest-rank percentile over whole-minute dwell counts (minutes → visits). */
function percentile(sorted: ReadonlyArray<[number, number]>, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [minutes, count] of sorted) {
    seen += count;
    if (seen >= rank) return minutes;
  }
  return sorted.at(-1)?.[0] ?? null;
}

/** The distribution of visits from whole-minute dwell counts. */
export function dwellDistribution(countsByMinute: ReadonlyMap<number, number>): DwellDistribution {
  const sorted = [...countsByMinute.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const visits = sorted.reduce((sum, [, n]) => sum + n, 0);
  const bins = DWELL_BIN_EDGES.map((from, i) => {
    const to = DWELL_BIN_EDGES[i + 1] ?? null;
    const inBin = sorted.filter(([m]) => m >= from && (to === null || m < to)).reduce((s, [, n]) => s + n, 0);
    return { fromMinutes: from, toMinutes: to, visits: inBin };
  });
  return { visits, medianMinutes: percentile(sorted, visits, 0.5), p90Minutes: percentile(sorted, visits, 0.9), bins };
}
