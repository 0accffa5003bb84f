import { SECTOR_AREA_CODES, sectorArea, type PreferenceLevel, type PurchaseRequirement, type SectorCode } from '@expo/schemas';
import { Bm25Index } from './bm25.ts';
import { zoneHallKeys } from './halls.ts';
import { buyerWants, type BuyerProfile, type BuyerWants, type ExhibitorProfile } from './profiles.ts';
import { scorePair, type PairScore, type ScoreWeights } from './scoring.ts';
import { Accumulator, DenseIds } from './dense-ids.ts';
import { TopK } from './top-k.ts';

type Multimap<V = string> = Map<string, Set<V>>;

function add<V>(map: Multimap<V>, key: string, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function drop<V>(map: Multimap<V>, key: string, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}

const AREA_BIT = new Map(SECTOR_AREA_CODES.map((a, i) => [a as string, 1 << i]));
const areaBit = (code: string) => AREA_BIT.get(sectorArea(code as SectorCode)) ?? 0;
/** Candidates explained beyond the limit, so rounding in the explanation cannot drop a better one. */
const MARGIN = 10;

/**
 * Buyers, exhibitors, requirements, preferences, leads and hall visits in memory, with inverted indexes
 * (sector → parties, term → parties, BM25 postings). A request sums points term-at-a-time over
 * the indexes, keeps the best few, and explains only those with `scorePair`; every change updates
 * only the entries it touches, so recommendations follow profiles as they change.
 */
export class Recommender {
  readonly exhibitors = new Map<string, ExhibitorProfile>();
  readonly buyers = new Map<string, BuyerProfile>();
  private readonly requirements = new Map<string, readonly PurchaseRequirement[]>();
  private readonly wants = new Map<string, BuyerWants>();
  private readonly bm25 = new Bm25Index();
  private readonly exhibitorNumbers = new DenseIds();
  private readonly buyerNumbers = new DenseIds();
  private readonly sums = new Accumulator();
  /** Profiles by dense number, so the per-candidate loop does no string hashing. */
  private readonly exhibitorAt: Array<ExhibitorProfile | undefined> = [];
  private readonly wantsAt: Array<BuyerWants | undefined> = [];
  private readonly exhibitorsByArea: Multimap<number> = new Map();
  private readonly exhibitorsByCategory: Multimap<number> = new Map();
  private readonly buyersByArea: Multimap<number> = new Map();
  private readonly buyersByCategory: Multimap<number> = new Map();
  private readonly buyersByTerm = new Map<string, Map<number, number>>();
  private readonly leads: Multimap = new Map();
  private readonly leadsOf: Multimap = new Map();
  private readonly subGroupOf = new Map<string, string>();
  /** Zones entered by each buyer (an attendee's own, and its sub-group's through it). */
  private readonly visits: Multimap = new Map();
  /** Zone id → the hall keys it matches by, or null for a zone known not to be a hall. */
  private readonly zoneKeys = new Map<string, readonly string[] | null>();
  /** A buyer's visited hall keys, dropped when its visits or any zone change. */
  private readonly visitedKeys = new Map<string, ReadonlySet<string>>();
  private readonly preferences = new Map<string, PreferenceLevel>();
  private readonly wishes: Multimap = new Map();
  private readonly exhibitorByKey = new Map<string, string>();

  constructor(private readonly weights: ScoreWeights) {}

  setExhibitor(profile: ExhibitorProfile): void {
    const n = this.exhibitorNumbers.of(profile.exhibitorId);
    const old = this.exhibitors.get(profile.exhibitorId);
    if (old) for (const area of old.areas) drop(this.exhibitorsByArea, area, n);
    if (old) for (const code of old.sectors) drop(this.exhibitorsByCategory, code, n);
    if (old?.keyHash) this.exhibitorByKey.delete(old.keyHash);
    this.exhibitors.set(profile.exhibitorId, profile);
    this.exhibitorAt[n] = profile;
    for (const area of profile.areas) add(this.exhibitorsByArea, area, n);
    for (const code of profile.sectors) if (code.includes('.')) add(this.exhibitorsByCategory, code, n);
    if (profile.keyHash) this.exhibitorByKey.set(profile.keyHash, profile.exhibitorId);
    this.bm25.set(n, profile.text);
  }

  exhibitorIdByKeyHash(hash: string): string | undefined {
    return this.exhibitorByKey.get(hash);
  }

  setBuyer(profile: BuyerProfile): void {
    this.buyers.set(profile.buyerId, profile);
    this.refreshWants(profile.buyerId);
  }

  removeBuyer(buyerId: string): void {
    this.unindexWants(buyerId);
    this.buyers.delete(buyerId);
    this.wants.delete(buyerId);
    this.wantsAt[this.buyerNumbers.of(buyerId)] = undefined;
  }

  /** Attendee → the sub-group it belongs to, so its booth scans count for the sub-group. */
  setMembership(attendeeId: string, subGroupId: string | undefined): void {
    if (subGroupId) this.subGroupOf.set(attendeeId, subGroupId);
    else this.subGroupOf.delete(attendeeId);
  }

  subGroupOfAttendee(attendeeId: string): string | undefined {
    return this.subGroupOf.get(attendeeId);
  }

  setRequirements(buyerId: string, requirements: readonly PurchaseRequirement[]): void {
    this.requirements.set(buyerId, requirements);
    this.refreshWants(buyerId);
  }

  addLead(exhibitorId: string, attendeeId: string): void {
    for (const buyerId of [attendeeId, this.subGroupOf.get(attendeeId)]) {
      if (!buyerId) continue;
      add(this.leads, exhibitorId, buyerId);
      add(this.leadsOf, buyerId, exhibitorId);
    }
  }

  /**
   * A zone from `scanning.zones.v1`: only halls count as visits. A zone not (yet) known matches
   * by its id alone.
   */
  setZone(zone: { readonly zoneId: string; readonly name: string; readonly kind: string }): void {
    this.zoneKeys.set(zone.zoneId, zone.kind === 'hall' ? zoneHallKeys(zone) : null);
    this.visitedKeys.clear();
  }

  removeZone(zoneId: string): void {
    this.zoneKeys.delete(zoneId);
    this.visitedKeys.clear();
  }

  /** The attendee entered the zone: a visit for itself and for the sub-group it belongs to (as leads). */
  addVisit(attendeeId: string, zoneId: string): void {
    for (const buyerId of [attendeeId, this.subGroupOf.get(attendeeId)]) {
      if (!buyerId || this.visits.get(buyerId)?.has(zoneId)) continue;
      add(this.visits, buyerId, zoneId);
      this.visitedKeys.delete(buyerId);
    }
  }

  private hallKeysVisitedBy(buyerId: string): ReadonlySet<string> | undefined {
    const zones = this.visits.get(buyerId);
    if (!zones) return undefined;
    let keys = this.visitedKeys.get(buyerId);
    if (!keys) {
      const found = new Set<string>();
      for (const zoneId of zones) for (const k of this.zoneKeys.has(zoneId) ? (this.zoneKeys.get(zoneId) ?? []) : zoneHallKeys({ zoneId })) found.add(k);
      this.visitedKeys.set(buyerId, (keys = found));
    }
    return keys;
  }

  private hallVisited(buyerId: string, exhibitor: ExhibitorProfile): boolean {
    const keys = this.hallKeysVisitedBy(buyerId);
    return keys !== undefined && keys.size > 0 && exhibitor.hallKeys.some((k) => keys.has(k));
  }

  setPreference(fromId: string, toId: string, level: PreferenceLevel): void {
    this.preferences.set(`${fromId}|${toId}`, level);
    add(this.wishes, fromId, toId);
    add(this.wishes, toId, fromId);
  }

  /** A "no" from either side removes the pair everywhere. */
  refused(buyerId: string, exhibitorId: string): boolean {
    return this.preferences.get(`${buyerId}|${exhibitorId}`) === 'no' || this.preferences.get(`${exhibitorId}|${buyerId}`) === 'no';
  }

  private strongestWish(buyerId: string, exhibitorId: string): 'must' | 'nice' | undefined {
    const levels = [this.preferences.get(`${buyerId}|${exhibitorId}`), this.preferences.get(`${exhibitorId}|${buyerId}`)];
    return levels.includes('must') ? 'must' : levels.includes('nice') ? 'nice' : undefined;
  }

  private unindexWants(buyerId: string): void {
    const wants = this.wants.get(buyerId);
    const n = this.buyerNumbers.of(buyerId);
    if (!wants) return;
    for (const area of wants.areas) drop(this.buyersByArea, area, n);
    for (const code of wants.categories) drop(this.buyersByCategory, code, n);
    for (const k of wants.keywords) {
      for (const t of new Set(k.terms)) {
        const buyers = this.buyersByTerm.get(t);
        buyers?.delete(n);
        if (buyers?.size === 0) this.buyersByTerm.delete(t);
      }
    }
  }

  private refreshWants(buyerId: string): void {
    const buyer = this.buyers.get(buyerId);
    if (!buyer) return;
    this.unindexWants(buyerId);
    const wants = buyerWants(buyer, this.requirements.get(buyerId) ?? []);
    const n = this.buyerNumbers.of(buyerId);
    this.wants.set(buyerId, wants);
    this.wantsAt[n] = wants;
    for (const area of wants.areas) add(this.buyersByArea, area, n);
    for (const code of wants.categories) add(this.buyersByCategory, code, n);
    for (const k of wants.keywords) {
      for (const t of new Set(k.terms)) {
        let buyers = this.buyersByTerm.get(t);
        if (!buyers) this.buyersByTerm.set(t, (buyers = new Map<number, number>()));
        buyers.set(n, (buyers.get(n) ?? 0) + 1);
      }
    }
  }

  /** The explained score of one pair (null: unrelated, or a "no"). */
  score(buyerId: string, exhibitorId: string): PairScore | null {
    const wants = this.wants.get(buyerId);
    const exhibitor = this.exhibitors.get(exhibitorId);
    if (!wants || !exhibitor || this.refused(buyerId, exhibitorId)) return null;
    const preference = this.strongestWish(buyerId, exhibitorId);
    const leadScanned = this.leads.get(exhibitorId)?.has(buyerId) ?? false;
    const hallVisited = this.hallVisited(buyerId, exhibitor);
    const doc = this.exhibitorNumbers.of(exhibitorId);
    return scorePair(
      wants,
      exhibitor,
      (terms) => this.bm25.score(doc, terms),
      { leadScanned, hallVisited, ...(preference ? { preference } : {}) },
      this.weights,
    );
  }

  private organiserPoints(exhibitor: ExhibitorProfile): number {
    const w = this.weights;
    return (
      (exhibitor.leastDevelopedCountry ? w.leastDevelopedCountry : 0) +
      (exhibitor.africanProductsZone ? w.africanProductsZone : 0) +
      (exhibitor.debutProducts.length > 0 ? w.productDebut : 0)
    );
  }

  private originPoints(wants: BuyerWants, exhibitor: ExhibitorProfile): number {
    if (wants.countries.size > 0 && wants.countries.has(exhibitor.country)) return this.weights.originCountry;
    return wants.regions.size > 0 && wants.regions.has(exhibitor.region) ? this.weights.originRegion : 0;
  }

  private wishPoints(buyerId: string, exhibitorId: string): number {
    const wish = this.strongestWish(buyerId, exhibitorId);
    return wish === 'must' ? this.weights.preferenceMust : wish === 'nice' ? this.weights.preferenceNice : 0;
  }

  forBuyer(buyerId: string, limit: number): Array<{ exhibitorId: string } & PairScore> {
    const wants = this.wants.get(buyerId);
    if (!wants) return [];
    const { weights: w, sums, bm25 } = this;
    for (const code of wants.categories) {
      const bit = areaBit(code);
      for (const n of this.exhibitorsByCategory.get(code) ?? []) {
        sums.add(n, w.sectorCategory);
        sums.markArea(n, bit);
      }
    }
    for (const area of wants.areas) {
      const bit = AREA_BIT.get(area) ?? 0;
      for (const n of this.exhibitorsByArea.get(area) ?? []) if (!sums.hasArea(n, bit)) sums.add(n, w.sectorArea);
    }
    const average = bm25.averageLength();
    for (const k of wants.keywords) {
      for (const t of new Set(k.terms)) {
        const idf = bm25.idf(t);
        // forEach: no entry arrays allocated on the hot path.
        bm25.postingsOf(t)?.forEach((f, n) => sums.add(n, w.keyword * bm25.weight(idf, f, bm25.lengthOf(n), average)));
      }
    }
    for (const id of this.leadsOf.get(buyerId) ?? []) sums.add(this.exhibitorNumbers.of(id), w.leadScanned);
    for (const id of this.wishes.get(buyerId) ?? []) if (this.exhibitors.has(id)) sums.add(this.exhibitorNumbers.of(id), this.wishPoints(buyerId, id));
    const visited = this.hallKeysVisitedBy(buyerId);
    const top = new TopK(limit + MARGIN);
    sums.drain((n, points) => {
      const exhibitor = this.exhibitorAt[n];
      if (points <= 0 || !exhibitor) return;
      const hall = visited && exhibitor.hallKeys.some((k) => visited.has(k)) ? w.hallVisited : 0;
      const total = points + this.originPoints(wants, exhibitor) + this.organiserPoints(exhibitor) + hall;
      if (total > top.floor && !this.refused(buyerId, exhibitor.exhibitorId)) top.offer(exhibitor.exhibitorId, total);
    });
    return explain(top, limit, (exhibitorId) => {
      const scored = this.score(buyerId, exhibitorId);
      return scored && { exhibitorId, ...scored };
    });
  }

  forExhibitor(exhibitorId: string, limit: number): Array<{ buyerId: string } & PairScore> {
    const exhibitor = this.exhibitors.get(exhibitorId);
    if (!exhibitor) return [];
    const { weights: w, sums, bm25 } = this;
    for (const code of exhibitor.sectors) {
      const bit = areaBit(code);
      for (const n of this.buyersByCategory.get(code) ?? []) {
        sums.add(n, w.sectorCategory);
        sums.markArea(n, bit);
      }
    }
    for (const area of exhibitor.areas) {
      const bit = AREA_BIT.get(area) ?? 0;
      for (const n of this.buyersByArea.get(area) ?? []) if (!sums.hasArea(n, bit)) sums.add(n, w.sectorArea);
    }
    const doc = this.exhibitorNumbers.of(exhibitorId);
    const length = bm25.lengthOf(doc);
    const average = bm25.averageLength();
    bm25.termsOf(doc)?.forEach((f, t) => {
      const buyers = this.buyersByTerm.get(t);
      if (!buyers) return;
      const points = w.keyword * bm25.weight(bm25.idf(t), f, length, average);
      buyers.forEach((keywords, n) => sums.add(n, points * keywords));
    });
    for (const id of this.leads.get(exhibitorId) ?? []) sums.add(this.buyerNumbers.of(id), w.leadScanned);
    for (const id of this.wishes.get(exhibitorId) ?? []) if (this.buyers.has(id)) sums.add(this.buyerNumbers.of(id), this.wishPoints(id, exhibitorId));
    const organiser = this.organiserPoints(exhibitor);
    const top = new TopK(limit + MARGIN);
    sums.drain((n, points) => {
      const wants = this.wantsAt[n];
      if (points <= 0 || !wants) return;
      const id = this.buyerNumbers.ids[n]!;
      const total = points + this.originPoints(wants, exhibitor) + organiser + (this.hallVisited(id, exhibitor) ? w.hallVisited : 0);
      if (total <= top.floor) return;
      if (!this.refused(id, exhibitorId)) top.offer(id, total);
    });
    return explain(top, limit, (buyerId) => {
      const scored = this.score(buyerId, exhibitorId);
      return scored && { buyerId, ...scored };
    });
  }
}

function explain<T extends { score: number }>(top: TopK, limit: number, scoreOf: (id: string) => T | null): T[] {
  const items: T[] = [];
  for (const { id } of top.items) {
    const item = scoreOf(id);
    if (item) items.push(item);
  }
  return items.sort((a, b) => b.score - a.score).slice(0, limit);
}
