import type { AttendeeCategory, BudgetBand, SectorAreaCode, SectorCode } from '@expo/schemas';
import { sectorArea } from '@expo/schemas';
import { badgeClaims } from '../badge-claims.ts';
import type { SeedPlan } from '../seed/seed-plan.ts';
import type { SeedState } from '../seed/seed-state.ts';

export interface Visitor {
  readonly index: number;
  readonly key: string;
  readonly attendeeId: string;
  readonly badgeId: string;
  readonly token: string;
  readonly category: AttendeeCategory;
  readonly access: readonly string[];
  readonly areas: readonly SectorAreaCode[];
  /** The hall an exhibitor's staff works in. */
  readonly homeZoneId: string | null;
  readonly exhibitorIndex: number | null;
  /** Where the person physically is (null: outside the venue). */
  location: string | null;
  /** Zones still to visit today, in order; the last step of a day is leaving. */
  itinerary: string[];
  phase: 'waiting' | 'inside' | 'gone';
}

export interface SimExhibitor {
  readonly index: number;
  readonly key: string;
  readonly exhibitorId: string;
  readonly exhibitorKey: string;
  readonly hallZoneId: string;
  readonly areas: readonly SectorAreaCode[];
}

export interface SimBuyer {
  readonly index: number;
  /** The sub-group: the buyer matchmaking knows. */
  readonly buyerId: string;
  /** A member's badge token: the member acts for the sub-group. */
  readonly token: string;
  readonly areas: readonly SectorAreaCode[];
  readonly budgetBand: BudgetBand;
}

export interface SimWorld {
  readonly visitors: Visitor[];
  readonly exhibitors: SimExhibitor[];
  readonly buyers: SimBuyer[];
  readonly validity: { readonly from: string; readonly to: string };
  readonly sessionId: string | null;
}

const areasOf = (codes: readonly SectorCode[]) => [...new Set(codes.map((c) => sectorArea(c)))];

/** The people and companies the simulator acts for: those the seed holds credentials of. */
export function buildWorld(plan: SeedPlan, state: SeedState): SimWorld {
  const exhibitors: SimExhibitor[] = [];
  const exhibitorByKey = new Map<string, SimExhibitor>();
  for (const e of plan.exhibitors) {
    const created = state.exhibitors[e.key];
    if (!created) continue;
    const exhibitor = {
      index: exhibitors.length,
      key: e.key,
      exhibitorId: created.exhibitorId,
      exhibitorKey: created.exhibitorKey,
      hallZoneId: e.hallZoneId,
      areas: areasOf(e.sectors),
    };
    exhibitors.push(exhibitor);
    exhibitorByKey.set(e.key, exhibitor);
  }
  const visitors: Visitor[] = [];
  const buyerTokens = new Map<string, string>();
  for (const a of plan.attendees) {
    const token = state.attendees[a.key]?.badgeToken;
    if (!token) continue;
    const claims = badgeClaims(token);
    const exhibitor = a.exhibitorKey ? exhibitorByKey.get(a.exhibitorKey) : undefined;
    visitors.push({
      index: visitors.length,
      key: a.key,
      attendeeId: claims.aid,
      badgeId: claims.bid,
      token,
      category: a.category,
      access: claims.acc,
      areas: areasOf(a.interests),
      homeZoneId: exhibitor?.hallZoneId ?? null,
      exhibitorIndex: exhibitor?.index ?? null,
      location: null,
      itinerary: [],
      phase: 'waiting',
    });
    if (a.subGroupKey && !buyerTokens.has(a.subGroupKey)) buyerTokens.set(a.subGroupKey, token);
  }
  const buyers: SimBuyer[] = [];
  for (const d of plan.delegations) {
    for (const g of d.subGroups) {
      const buyerId = state.delegations[d.key]?.subGroups[g.key];
      const token = buyerTokens.get(g.key);
      if (buyerId && token) buyers.push({ index: buyers.length, buyerId, token, areas: areasOf(g.interests), budgetBand: g.budgetBand });
    }
  }
  const first = visitors[0] ? badgeClaims(visitors[0].token) : null;
  const validity = state.validity ?? (first ? { from: first.from, to: first.to } : { from: state.openingDay, to: state.openingDay });
  return { visitors, exhibitors, buyers, validity, sessionId: state.session?.defined ? state.session.sessionId : null };
}
