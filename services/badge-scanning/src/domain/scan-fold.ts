import type { TopicEvent } from '@expo/bus';
import type { TOPICS } from '@expo/schemas';

type ScanEvent = TopicEvent<typeof TOPICS.scans>;

/**
 * Occupancy and badge locations as the fold of `scanning.scans.v1` (promise 3, docs/promises.md): an accepted record
 * moves its badge and changes its zone's count by one, an annulment takes its move back, a
 * rejection changes nothing. Records of one badge are in order (the topic is keyed by badge);
 * counts are sums, so the order across badges does not matter.
 */
export class ScanFold {
  readonly occupancy = new Map<string, number>();
  readonly location = new Map<string, string>();
  readonly lastMove = new Map<string, number>();
  readonly attendeeOf = new Map<string, string>();
  private readonly seen = new Set<string>();
  records = 0;

  /**
   * A record whose id was applied already is skipped: a scan retried after Kafka took its record
   * but lost the acknowledgement is written again with the same ids.
   */
  apply(event: ScanEvent): void {
    if (this.seen.has(event.id)) return;
    this.seen.add(event.id);
    this.records++;
    if (event.type === 'scan.rejected') return;
    if (event.type === 'scan.annulled') {
      const a = event.data;
      this.add(a.zoneId, a.direction === 'in' ? -1 : 1);
      this.place(a.badgeId, a.fromZoneId);
      return;
    }
    const d = event.data;
    const delta = d.direction === 'in' ? 1 : -1;
    this.add(d.zoneId, delta);
    this.attendeeOf.set(d.badgeId, d.attendeeId);
    this.place(d.badgeId, d.toZoneId);
    if (d.origin !== 'inferred' && !d.flags.stale) this.lastMove.set(d.badgeId, Date.parse(d.scannedAt));
  }

  private add(zoneId: string, delta: number): void {
    this.occupancy.set(zoneId, (this.occupancy.get(zoneId) ?? 0) + delta);
  }

  private place(badgeId: string, zoneId: string | null): void {
    if (zoneId === null) this.location.delete(badgeId);
    else this.location.set(badgeId, zoneId);
  }
}
