import type { RejectionReason } from '@expo/schemas';
import type { BeliefMove } from './platform-belief.ts';

/** One venue day (Shanghai date of the scans' device time, as analytics buckets by event time). */
export interface DayTruth {
  readonly accepted: number;
  readonly rejected: number;
  readonly rejectedByReason: Readonly<Partial<Record<RejectionReason, number>>>;
  /** Badges with at least one accepted scan that day. */
  readonly uniqueBadges: number;
  readonly entries: Readonly<Record<string, { readonly device: number; readonly inferred: number; readonly uniqueBadges: number }>>;
}

export interface DecisionMismatch {
  readonly scanId: string;
  readonly zoneId: string;
  readonly direction: string;
  readonly predicted: string;
  readonly actual: string;
}

/** What the simulator did and what the platform should therefore show, as plain JSON. */
export interface GroundTruthSnapshot {
  readonly steps: number;
  readonly simulatedTime: string | null;
  readonly day: number;
  readonly scans: {
    readonly posted: number;
    readonly accepted: number;
    readonly rejected: number;
    readonly rejectedByReason: Readonly<Partial<Record<RejectionReason, number>>>;
    readonly replayed: number;
    readonly offlineQueued: number;
    readonly offlineUploaded: number;
    readonly pendingOffline: number;
    readonly unscannedExits: number;
    readonly locallyRefused: number;
  };
  /** Badge id → zone the platform should believe it is in (absent: outside). */
  readonly locations: Readonly<Record<string, string>>;
  /** Zone id → badges in it or in a zone inside it, as `GET /v1/occupancy` counts. */
  readonly occupancy: Readonly<Record<string, number>>;
  /** Entries into each zone: by a device scan, inferred by soft anti-passback, and badges that entered. */
  readonly entries: Readonly<Record<string, { readonly device: number; readonly inferred: number; readonly uniqueBadges: number }>>;
  readonly exits: Readonly<Record<string, { readonly device: number; readonly inferred: number }>>;
  /** The same by venue day (`YYYY-MM-DD`). */
  readonly days: Readonly<Record<string, DayTruth>>;
  readonly physicallyInside: number;
  readonly sweeps: number;
  readonly leads: { readonly posted: number; readonly captured: number; readonly failed: number };
  readonly meetings: {
    readonly requested: number;
    readonly accepted: number;
    readonly declined: number;
    readonly scheduled: number;
    readonly held: number;
    readonly noShow: number;
    readonly intendedDealUsd: number;
    readonly dealsRecorded: number;
    readonly failed: number;
    readonly skipped: string | null;
  };
  /**
   * `capacityRaces`: mismatches between `accepted` and `capacity_full` only, which steps in flight
   * at once cause by themselves (two visitors racing for a zone's last place are decided in the
   * order the service sees them); with one step at a time there are none.
   */
  readonly mismatches: { readonly count: number; readonly capacityRaces: number; readonly samples: readonly DecisionMismatch[] };
  readonly errors: { readonly count: number; readonly samples: readonly string[] };
}

const SAMPLES = 20;
const VENUE_OFFSET_MS = 8 * 3600_000;

interface EntryCount {
  device: number;
  inferred: number;
  badges: Set<string>;
}

interface DayCount {
  accepted: number;
  rejected: number;
  rejectedByReason: Partial<Record<RejectionReason, number>>;
  badges: Set<string>;
  entries: Map<string, EntryCount>;
}

const venueDay = (atMs: number) => new Date(atMs + VENUE_OFFSET_MS).toISOString().slice(0, 10);

function countEntry(entries: Map<string, EntryCount>, zoneId: string, origin: 'device' | 'inferred', badgeId: string): void {
  const entry = entries.get(zoneId) ?? { device: 0, inferred: 0, badges: new Set<string>() };
  entry[origin]++;
  entry.badges.add(badgeId);
  entries.set(zoneId, entry);
}

const entriesJson = (entries: Map<string, EntryCount>) =>
  Object.fromEntries([...entries].map(([z, e]) => [z, { device: e.device, inferred: e.inferred, uniqueBadges: e.badges.size }]));

/** Counters kept as the simulator acts; `snapshot()` is what a test compares with the services. */
export class GroundTruth {
  steps = 0;
  simulatedMs: number | null = null;
  day = 0;
  readonly scans = { posted: 0, accepted: 0, rejected: 0, replayed: 0, offlineQueued: 0, offlineUploaded: 0, unscannedExits: 0, locallyRefused: 0 };
  readonly rejectedByReason: Partial<Record<RejectionReason, number>> = {};
  readonly entries = new Map<string, EntryCount>();
  private readonly days = new Map<string, DayCount>();
  readonly exits = new Map<string, { device: number; inferred: number }>();
  readonly leads = { posted: 0, captured: 0, failed: 0 };
  readonly meetings = {
    requested: 0,
    accepted: 0,
    declined: 0,
    scheduled: 0,
    held: 0,
    noShow: 0,
    intendedDealUsd: 0,
    dealsRecorded: 0,
    failed: 0,
    skipped: null as string | null,
  };
  sweeps = 0;
  private mismatchCount = 0;
  private capacityRaces = 0;
  private readonly mismatchSamples: DecisionMismatch[] = [];
  private errorCount = 0;
  private readonly errorSamples: string[] = [];

  private dayOf(atMs: number): DayCount {
    const key = venueDay(atMs);
    let day = this.days.get(key);
    if (!day) {
      day = { accepted: 0, rejected: 0, rejectedByReason: {}, badges: new Set(), entries: new Map() };
      this.days.set(key, day);
    }
    return day;
  }

  /** A decision the service answered for a scan made (device time) at `atMs`. */
  decided(decision: 'accepted' | 'rejected', reason: RejectionReason | null, replayed: boolean, badgeId: string, atMs: number): void {
    this.scans.posted++;
    if (replayed) this.scans.replayed++;
    const day = this.dayOf(atMs);
    if (decision === 'accepted') {
      this.scans.accepted++;
      day.accepted++;
      day.badges.add(badgeId);
    } else {
      this.scans.rejected++;
      day.rejected++;
      if (reason) {
        this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
        day.rejectedByReason[reason] = (day.rejectedByReason[reason] ?? 0) + 1;
      }
    }
  }

  moved(badgeId: string, moves: readonly BeliefMove[], atMs: number): void {
    const day = this.dayOf(atMs);
    for (const move of moves) {
      if (move.direction === 'in') {
        countEntry(this.entries, move.zoneId, move.origin, badgeId);
        countEntry(day.entries, move.zoneId, move.origin, badgeId);
      } else {
        const exit = this.exits.get(move.zoneId) ?? { device: 0, inferred: 0 };
        exit[move.origin]++;
        this.exits.set(move.zoneId, exit);
      }
    }
  }

  mismatch(sample: DecisionMismatch): void {
    this.mismatchCount++;
    if ([sample.predicted, sample.actual].every((d) => d === 'accepted' || d === 'capacity_full')) this.capacityRaces++;
    if (this.mismatchSamples.length < SAMPLES) this.mismatchSamples.push(sample);
  }

  error(message: string): void {
    this.errorCount++;
    if (this.errorSamples.length < SAMPLES) this.errorSamples.push(message);
  }

  get errorTotal(): number {
    return this.errorCount;
  }

  snapshot(
    belief: { locations(): ReadonlyMap<string, string>; occupancies(): ReadonlyMap<string, number> },
    extra: { pendingOffline: number; physicallyInside: number },
  ): GroundTruthSnapshot {
    return {
      steps: this.steps,
      simulatedTime: this.simulatedMs === null ? null : new Date(this.simulatedMs).toISOString(),
      day: this.day,
      scans: { ...this.scans, rejectedByReason: { ...this.rejectedByReason }, pendingOffline: extra.pendingOffline },
      locations: Object.fromEntries(belief.locations()),
      occupancy: Object.fromEntries([...belief.occupancies()].filter(([, n]) => n !== 0)),
      entries: entriesJson(this.entries),
      exits: Object.fromEntries([...this.exits].map(([z, e]) => [z, { ...e }])),
      days: Object.fromEntries(
        [...this.days].map(([d, c]) => [
          d,
          {
            accepted: c.accepted,
            rejected: c.rejected,
            rejectedByReason: { ...c.rejectedByReason },
            uniqueBadges: c.badges.size,
            entries: entriesJson(c.entries),
          },
        ]),
      ),
      physicallyInside: extra.physicallyInside,
      sweeps: this.sweeps,
      leads: { ...this.leads },
      meetings: { ...this.meetings },
      mismatches: { count: this.mismatchCount, capacityRaces: this.capacityRaces, samples: [...this.mismatchSamples] },
      errors: { count: this.errorCount, samples: [...this.errorSamples] },
    };
  }
}
