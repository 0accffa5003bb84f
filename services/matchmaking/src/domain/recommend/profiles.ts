import {
  sectorArea,
  worldRegionOf,
  type Attendee,
  type CountryCode,
  type Delegation,
  type Exhibitor,
  type PurchaseRequirement,
  type SectorCode,
} from '@expo/schemas';
import { hallKeys } from './halls.ts';
import { terms } from './text.ts';

/** A seller as matchmaking scores it. */
export interface ExhibitorProfile {
  readonly exhibitorId: string;
  readonly country: CountryCode;
  readonly region: string;
  /** The exhibitor's and its products' sector codes. */
  readonly sectors: ReadonlySet<string>;
  readonly areas: ReadonlySet<string>;
  readonly leastDevelopedCountry: boolean;
  readonly africanProductsZone: boolean;
  readonly debutProducts: readonly string[];
  readonly text: readonly string[];
  /** The stand's hall as registered (free text), and the keys a visited zone is matched by (`halls.ts`). */
  readonly hall: string;
  readonly hallKeys: readonly string[];
  readonly keyHash?: string;
}

/** A buyer: a delegation's trade sub-group, or an attendee who buys (category buyer, or a visitor with interests). */
export interface BuyerProfile {
  readonly buyerId: string;
  readonly kind: 'attendee' | 'sub_group';
  readonly interests: readonly SectorCode[];
  /** Attendees whose lead scans count for this buyer: itself, or a sub-group's members. */
  readonly delegationId?: string;
}

/** What a buyer wants, from its interests and every purchase requirement it posted. */
export interface BuyerWants {
  readonly categories: ReadonlySet<string>;
  readonly areas: ReadonlySet<string>;
  readonly keywords: ReadonlyArray<{ readonly keyword: string; readonly terms: readonly string[] }>;
  readonly countries: ReadonlySet<string>;
  readonly regions: ReadonlySet<string>;
}

export function exhibitorProfile(exhibitor: Exhibitor): ExhibitorProfile {
  const sectors = new Set<string>([...exhibitor.sectors, ...exhibitor.products.flatMap((p) => p.sectors)]);
  const text = exhibitor.products.flatMap((p) => terms([p.name, p.nameLocal ?? '', p.description ?? ''].join(' ')));
  return {
    exhibitorId: exhibitor.exhibitorId,
    country: exhibitor.country,
    region: worldRegionOf(exhibitor.country),
    sectors,
    areas: new Set([...sectors].map((s) => sectorArea(s as SectorCode))),
    leastDevelopedCountry: exhibitor.leastDevelopedCountry,
    africanProductsZone: exhibitor.africanProductsZone ?? false,
    debutProducts: exhibitor.products.filter((p) => p.debut).map((p) => p.name),
    text,
    hall: exhibitor.hall,
    hallKeys: hallKeys(exhibitor.hall),
    ...(exhibitor.keyHash ? { keyHash: exhibitor.keyHash } : {}),
  };
}

/** An attendee buys when registered as a buyer, or as a professional visitor with interests. */
export function attendeeBuyer(attendee: Attendee): BuyerProfile | null {
  if (attendee.status !== 'active') return null;
  const buys = attendee.category === 'buyer' || (attendee.category === 'professional_visitor' && attendee.interests.length > 0);
  return buys ? { buyerId: attendee.attendeeId, kind: 'attendee', interests: attendee.interests } : null;
}

export function subGroupBuyers(delegation: Delegation): BuyerProfile[] {
  return delegation.subGroups.map((g) => ({ buyerId: g.subGroupId, kind: 'sub_group', interests: g.interests, delegationId: delegation.delegationId }));
}

export function buyerWants(buyer: BuyerProfile, requirements: readonly PurchaseRequirement[]): BuyerWants {
  const codes = [...buyer.interests, ...requirements.flatMap((r) => r.sectors)];
  const categories = new Set(codes.filter((c) => c.includes('.')));
  const areas = new Set(codes.map((c) => sectorArea(c)));
  const seen = new Set<string>();
  const keywords = requirements
    .flatMap((r) => r.keywords)
    .filter((k) => !seen.has(k.toLowerCase()) && seen.add(k.toLowerCase()))
    .map((keyword) => ({ keyword, terms: terms(keyword) }))
    .filter((k) => k.terms.length > 0);
  return {
    categories,
    areas,
    keywords,
    countries: new Set(requirements.flatMap((r) => r.originCountries ?? [])),
    regions: new Set(requirements.flatMap((r) => r.originRegions ?? [])),
  };
}
