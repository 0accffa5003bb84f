// Valid example records of every event type: tests start from these and break one thing at a time.
import type { z } from 'zod';
import type { EventDefinition, EventOf } from '../src/event.ts';
import type { AttendeeCancelled, AttendeeRegistered } from '../src/events/attendees.ts';
import type { BadgeIssued, BadgeRevoked } from '../src/events/badges.ts';
import type { DelegationRegistered } from '../src/events/delegations.ts';
import type { ExhibitorRegistered } from '../src/events/exhibitors.ts';
import type { FootfallBucketClosed } from '../src/events/footfall.ts';
import type { LeadCaptured } from '../src/events/leads.ts';
import type { Meeting } from '../src/events/meetings.ts';
import type { ScanAccepted, ScanAnnulled, ScanRejected } from '../src/events/scans.ts';
import type { ZoneDefined, ZoneRemoved } from '../src/events/zones.ts';
import type { MeetingStatus } from '../src/vocab/meeting-statuses.ts';

export const AT = '2024-11-05T09:30:00+08:00';
export const LATER = '2024-11-05T10:00:00+08:00';
export const EXPO = 'ciie-2024';

type DataOf<D extends EventDefinition> = z.input<D['data']>;

export function attendee(overrides: Partial<DataOf<typeof AttendeeRegistered>> = {}): DataOf<typeof AttendeeRegistered> {
  return {
    attendeeId: 'att-1',
    category: 'buyer',
    name: 'Li Wei',
    nameLocal: '李伟',
    email: 'li.wei@example.com',
    organisation: 'Zhejiang Trading Co.',
    country: 'CN',
    interests: ['food.dairy', 'tech.ai'],
    days: ['2024-11-05', '2024-11-06'],
    delegationId: 'del-1',
    subGroupId: 'sg-1',
    badgeId: 'bdg-1',
    status: 'active',
    registeredAt: AT,
    changed: ['attendeeId', 'category', 'name', 'email', 'country', 'badgeId', 'status', 'registeredAt'],
    ...overrides,
  };
}

export function cancelledAttendee(): DataOf<typeof AttendeeCancelled> {
  return { ...attendee(), status: 'cancelled', changed: ['status'] };
}

export function exhibitor(overrides: Partial<DataOf<typeof ExhibitorRegistered>> = {}): DataOf<typeof ExhibitorRegistered> {
  return {
    exhibitorId: 'exh-1',
    name: 'Dairy Cooperative of Rwanda',
    country: 'RW',
    sectors: ['food', 'food.dairy'],
    hall: '7.1',
    booth: 'A12',
    fortuneGlobal500: false,
    leastDevelopedCountry: true,
    africanProductsZone: true,
    products: [{ productId: 'prd-1', name: 'Ikivuguto', description: 'Fermented milk', sectors: ['food.dairy'], debut: true }],
    changed: ['exhibitorId', 'name', 'country', 'sectors', 'hall', 'booth', 'products'],
    ...overrides,
  };
}

export function delegation(overrides: Partial<DataOf<typeof DelegationRegistered>> = {}): DataOf<typeof DelegationRegistered> {
  return {
    delegationId: 'del-1',
    name: 'Zhejiang trading group',
    nameLocal: '浙江交易团',
    kind: 'government',
    country: 'CN',
    origin: 'Zhejiang',
    subGroups: [{ subGroupId: 'sg-1', name: 'Food importers', interests: ['food.dairy'], budgetBand: '1m_10m' }],
    changed: ['delegationId', 'name', 'kind', 'country', 'subGroups'],
    ...overrides,
  };
}

export function issuedBadge(overrides: Partial<DataOf<typeof BadgeIssued>> = {}): DataOf<typeof BadgeIssued> {
  return {
    badgeId: 'bdg-1',
    attendeeId: 'att-1',
    kid: 'key-2024-1',
    category: 'buyer',
    access: ['venue', 'hall', 'matchmaking_area'],
    validFrom: '2024-11-05',
    validTo: '2024-11-10',
    issuedAt: AT,
    status: 'active',
    changed: ['badgeId', 'status'],
    ...overrides,
  };
}

export function revokedBadge(): DataOf<typeof BadgeRevoked> {
  return { ...issuedBadge(), status: 'revoked', reason: 'attendee_cancelled', revokedAt: LATER, changed: ['status', 'reason', 'revokedAt'] };
}

export function zone(overrides: Partial<DataOf<typeof ZoneDefined>> = {}): DataOf<typeof ZoneDefined> {
  return {
    zoneId: 'hall-7-1',
    name: 'Hall 7.1',
    kind: 'hall',
    parentId: 'venue-necc',
    capacity: 5000,
    antiPassback: 'soft',
    gates: [{ gateId: 'g-7-1-north', name: 'North door' }, { gateId: 'g-7-1-south' }],
    changed: ['zoneId', 'name', 'kind', 'parentId', 'capacity', 'antiPassback', 'gates'],
    ...overrides,
  };
}

export function removedZone(): DataOf<typeof ZoneRemoved> {
  return { zoneId: 'hall-7-1', removedAt: LATER };
}

export function acceptedScan(overrides: Partial<DataOf<typeof ScanAccepted>> = {}): DataOf<typeof ScanAccepted> {
  return {
    scanId: '6c7f3b1e-2d4a-4f7b-9a51-0c8e2f4d1a93',
    badgeId: 'bdg-1',
    attendeeId: 'att-1',
    deviceId: 'dev-1',
    gateId: 'g-7-1-north',
    zoneId: 'hall-7-1',
    fromZoneId: 'venue-necc',
    toZoneId: 'hall-7-1',
    direction: 'in',
    decision: 'accepted',
    reason: null,
    category: 'buyer',
    country: 'CN',
    scannedAt: AT,
    flags: { inferred: false, offline: false },
    origin: 'device',
    occupancyAfter: 1234,
    ...overrides,
  };
}

export function rejectedScan(overrides: Partial<DataOf<typeof ScanRejected>> = {}): DataOf<typeof ScanRejected> {
  return {
    ...acceptedScan(),
    flags: { inferred: false, offline: false },
    origin: 'device',
    deviceId: 'dev-1',
    gateId: 'g-7-1-north',
    decision: 'rejected',
    reason: 'capacity_full',
    occupancyAfter: 5000,
    ...overrides,
  };
}

export function annulledScan(): DataOf<typeof ScanAnnulled> {
  return {
    scanId: '6c7f3b1e-2d4a-4f7b-9a51-0c8e2f4d1a93',
    badgeId: 'bdg-1',
    deviceId: 'dev-1',
    zoneId: 'hall-7-1',
    direction: 'in',
    fromZoneId: 'venue-necc',
    toZoneId: 'hall-7-1',
    annulledAt: LATER,
    occupancyAfter: 1233,
  };
}

export function lead(overrides: Partial<DataOf<typeof LeadCaptured>> = {}): DataOf<typeof LeadCaptured> {
  return {
    leadId: 'lead-1',
    exhibitorId: 'exh-1',
    badgeId: 'bdg-1',
    attendeeId: 'att-1',
    category: 'buyer',
    country: 'CN',
    interests: ['food.dairy'],
    rating: 4,
    capturedAt: AT,
    ...overrides,
  };
}

export function meeting<S extends MeetingStatus>(status: S): Meeting & { status: S; changed: string[] } {
  return {
    meetingId: 'mtg-1',
    buyerId: 'sg-1',
    exhibitorId: 'exh-1',
    requestedBy: 'buyer',
    sessionId: 'session-food-1',
    slot: { start: AT, end: LATER },
    tableId: 'table-12',
    score: 87.5,
    status,
    requestedAt: AT,
    updatedAt: LATER,
    changed: ['status'],
  };
}

export function footfallBucket(overrides: Partial<DataOf<typeof FootfallBucketClosed>> = {}): DataOf<typeof FootfallBucketClosed> {
  return {
    zoneId: 'hall-7-1',
    bucketStart: '2024-11-05T09:30:00+08:00',
    bucketMinutes: 1,
    entries: 120,
    exits: 35,
    peakOccupancy: 1234,
    uniqueVisitors: 150,
    late: 0,
    ...overrides,
  };
}

const BY_TYPE: Record<string, () => unknown> = {
  'attendee.registered': () => attendee(),
  'attendee.updated': () => attendee({ changed: ['email'] }),
  'attendee.cancelled': cancelledAttendee,
  'exhibitor.registered': () => exhibitor(),
  'exhibitor.updated': () => exhibitor({ changed: ['booth'] }),
  'delegation.registered': () => delegation(),
  'delegation.updated': () => delegation({ changed: ['subGroups'] }),
  'badge.issued': () => issuedBadge(),
  'badge.revoked': revokedBadge,
  'badge_key.published': () => ({
    kid: 'k-2024-1',
    jwk: { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'k-2024-1', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
    status: 'active',
    publishedAt: '2024-11-01T08:00:00+08:00',
  }),
  'zone.defined': () => zone(),
  'zone.removed': removedZone,
  'scan.accepted': () => acceptedScan(),
  'scan.rejected': () => rejectedScan(),
  'scan.annulled': annulledScan,
  'lead.captured': () => lead(),
  'footfall.bucket_closed': () => footfallBucket(),
  'requirement.posted': () => ({
    requirementId: 'req-1',
    buyerId: 'sg-zj-food',
    createdAt: AT,
    sectors: ['food.dairy'],
    keywords: ['milk powder', '奶粉'],
    quantity: '500 t per year',
    budgetBand: '1m_10m',
    originCountries: ['NZ'],
  }),
  'requirement.withdrawn': () => ({ requirementId: 'req-1', buyerId: 'sg-zj-food', withdrawnAt: LATER }),
  'preference.set': () => ({ pairId: 'sg-zj-food|ex-1', fromId: 'sg-zj-food', toId: 'ex-1', level: 'must', setAt: AT }),
  'session.defined': () => ({
    sessionId: 'food-1',
    name: 'Food supply–demand session',
    updatedAt: AT,
    slots: [{ slotId: 's1', start: AT, end: LATER }],
    tables: [{ tableId: 'T1', languages: ['zh', 'en'] }],
    participants: [{ participantId: 'ex-1', languages: ['en'] }],
    schedule: { publishedAt: LATER, scheduled: 1, planned: 1, totalScore: 3.5, breaks: 0, lowerBound: 0, gap: 0, provenOptimal: true },
  }),
};

/** A valid `data` for any event type (meetings take their status from the type). */
export function exampleData(definition: EventDefinition): unknown {
  if (definition.type.startsWith('meeting.')) return meeting(definition.type.slice('meeting.'.length) as MeetingStatus);
  const build = BY_TYPE[definition.type];
  if (!build) throw new Error(`no example for ${definition.type}: add one to test/examples.ts`);
  return build();
}

/** A whole valid record (envelope and data) of the event type. */
export function exampleRecord<D extends EventDefinition>(definition: D, data: unknown = exampleData(definition)): EventOf<D> {
  return {
    id: '0b4c8f0e-9a3d-4c1e-8f5a-3e2d1c0b9a87',
    type: definition.type,
    schemaVersion: definition.schemaVersion,
    eventId: EXPO,
    source: 'test',
    occurredAt: AT,
    recordedAt: AT,
    data,
  } as EventOf<D>;
}
