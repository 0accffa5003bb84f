import type { AntiPassback, SectorAreaCode, ZoneKind } from '@expo/schemas';
import { HONGQIAO_MAIN_FORUM, HONGQIAO_SUB_FORUMS } from './forums.ts';
import type { Venue, VenueGate, VenueZone } from './venue-types.ts';

export interface VenueOptions {
  /**
   * Multiplies every capacity (full scale is the NECC's). A small demo expo scales them down so
   * its few hundred visitors still fill rooms and the dashboard's 90 % alerts show.
   */
  readonly capacityScale?: number;
  /** The smallest capacity after scaling. */
  readonly minCapacity?: number;
}

interface ZoneSpec {
  id: string;
  name: string;
  kind: ZoneKind;
  parent: string | null;
  capacity: number | null;
  gates: number;
  doors: number;
  apb?: AntiPassback;
  sectorAreas?: SectorAreaCode[];
  hallNumber?: string;
}

const HALLS: ReadonlyArray<{ n: string; name: string; areas: SectorAreaCode[]; capacity: number }> = [
  { n: '1.1', name: 'Food and Agricultural Products', areas: ['food'], capacity: 24_000 },
  { n: '2.1', name: 'Food and Agricultural Products II', areas: ['food'], capacity: 18_000 },
  { n: '3.1', name: 'Consumer Goods', areas: ['consumer'], capacity: 20_000 },
  { n: '4.1', name: 'Technical Equipment', areas: ['tech'], capacity: 20_000 },
  { n: '5.1', name: 'Automobile', areas: ['auto'], capacity: 16_000 },
  { n: '6.1', name: 'Medical Equipment and Healthcare', areas: ['medical'], capacity: 18_000 },
  { n: '7.1', name: 'Innovation Incubation and Technical Equipment II', areas: ['incubation', 'tech'], capacity: 14_000 },
  { n: '8.1', name: 'Trade in Services', areas: ['services'], capacity: 16_000 },
];

const hallId = (n: string) => `hall-${n.replace('.', '-')}`;

/** Areas inside halls: country pavilions, the AI and IC sections, the incubation tracks, the African products zone. */
const AREAS: ReadonlyArray<Omit<ZoneSpec, 'gates' | 'doors'> & { gates?: number; doors?: number }> = [
  { id: 'african-products', name: 'African Products Zone', kind: 'area', parent: hallId('1.1'), capacity: 3_000 },
  { id: 'pavilion-au', name: 'Australia Pavilion', kind: 'pavilion', parent: hallId('1.1'), capacity: 1_200 },
  { id: 'pavilion-br', name: 'Brazil Pavilion', kind: 'pavilion', parent: hallId('1.1'), capacity: 1_000 },
  { id: 'pavilion-nz', name: 'New Zealand Pavilion', kind: 'pavilion', parent: hallId('1.1'), capacity: 800 },
  { id: 'pavilion-fr', name: 'France Pavilion', kind: 'pavilion', parent: hallId('2.1'), capacity: 1_200 },
  { id: 'pavilion-it', name: 'Italy Pavilion', kind: 'pavilion', parent: hallId('2.1'), capacity: 1_000 },
  { id: 'pavilion-my', name: 'Malaysia Pavilion', kind: 'pavilion', parent: hallId('2.1'), capacity: 800 },
  { id: 'pavilion-kz', name: 'Kazakhstan Pavilion', kind: 'pavilion', parent: hallId('2.1'), capacity: 600 },
  { id: 'pavilion-jp', name: 'Japan Pavilion', kind: 'pavilion', parent: hallId('3.1'), capacity: 1_200 },
  { id: 'pavilion-ch', name: 'Switzerland Pavilion', kind: 'pavilion', parent: hallId('3.1'), capacity: 600 },
  { id: 'ai-experience', name: 'AI Experience Zone', kind: 'area', parent: hallId('4.1'), capacity: 2_500 },
  { id: 'ic-section', name: 'Integrated Circuit Section', kind: 'area', parent: hallId('4.1'), capacity: 2_000 },
  { id: 'pavilion-de', name: 'Germany Pavilion', kind: 'pavilion', parent: hallId('4.1'), capacity: 1_000 },
  { id: 'smart-mobility', name: 'Smart Mobility Area', kind: 'area', parent: hallId('5.1'), capacity: 2_000 },
  { id: 'elderly-care', name: 'Elderly Care and Rehabilitation Area', kind: 'area', parent: hallId('6.1'), capacity: 1_500 },
  { id: 'incubation', name: 'Innovation Incubation Zone', kind: 'area', parent: hallId('7.1'), capacity: 4_000, gates: 2, doors: 1 },
  { id: 'incubation-digital', name: 'Incubation Track: Digital Economy', kind: 'area', parent: 'incubation', capacity: 1_000 },
  { id: 'incubation-green', name: 'Incubation Track: Green and Low-carbon', kind: 'area', parent: 'incubation', capacity: 1_000 },
  { id: 'incubation-life', name: 'Incubation Track: Life Sciences', kind: 'area', parent: 'incubation', capacity: 1_000 },
  { id: 'incubation-manufacturing', name: 'Incubation Track: Manufacturing Technology', kind: 'area', parent: 'incubation', capacity: 1_000 },
];

function specs(): ZoneSpec[] {
  const list: ZoneSpec[] = [
    // Security lanes at the four entrance plazas are the venue's gates.
    { id: 'necc', name: 'National Exhibition and Convention Center (Shanghai)', kind: 'venue', parent: null, capacity: 200_000, gates: 8, doors: 2 },
    { id: 'central-plaza', name: 'Central Plaza (services and food court)', kind: 'area', parent: 'necc', capacity: 12_000, gates: 2, doors: 2 },
    ...HALLS.map((h) => ({
      id: hallId(h.n),
      name: `Hall ${h.n}: ${h.name}`,
      kind: 'hall' as const,
      parent: 'necc',
      capacity: h.capacity,
      gates: 4,
      doors: 2,
      sectorAreas: h.areas,
      hallNumber: h.n,
    })),
    ...AREAS.map((a) => ({ ...a, gates: a.gates ?? 1, doors: a.doors ?? 1 })),
    { id: 'forum-centre', name: 'Conference Centre (Hongqiao Forum)', kind: 'area', parent: 'necc', capacity: 8_000, gates: 3, doors: 1 },
    { id: 'forum-main', name: HONGQIAO_MAIN_FORUM, kind: 'forum_room', parent: 'forum-centre', capacity: 1_500, gates: 2, doors: 1 },
    ...HONGQIAO_SUB_FORUMS.map((title, i) => ({
      id: `forum-sub-${String(i + 1).padStart(2, '0')}`,
      name: `Sub-forum ${i + 1}: ${title}`,
      kind: 'forum_room' as const,
      parent: 'forum-centre',
      capacity: i % 3 === 0 ? 500 : 300,
      gates: 1,
      doors: 1,
    })),
    { id: 'matchmaking', name: 'Trade Matchmaking Area', kind: 'matchmaking_area', parent: 'necc', capacity: 1_200, gates: 2, doors: 0 },
    { id: 'press', name: 'Press Centre', kind: 'press_centre', parent: 'necc', capacity: 800, gates: 1, doors: 0 },
    { id: 'vip-lounge', name: 'VIP Lounge', kind: 'vip_lounge', parent: 'necc', capacity: 200, gates: 1, doors: 0 },
    { id: 'ops-centre', name: 'Organiser Operations Centre', kind: 'staff_area', parent: 'necc', capacity: 400, gates: 1, doors: 0 },
  ];
  return list;
}

const ENTRANCES = ['North', 'South', 'East', 'West'];

function gatesOf(spec: ZoneSpec): VenueGate[] {
  return Array.from({ length: spec.gates }, (_, i) => {
    if (spec.kind === 'venue') {
      const plaza = ENTRANCES[i % ENTRANCES.length]!;
      const lane = Math.floor(i / ENTRANCES.length) + 1;
      return { gateId: `${spec.id}-${plaza.toLowerCase()}-${lane}`, name: `${plaza} Entrance Plaza, security lane ${lane}` };
    }
    return { gateId: `${spec.id}-gate-${i + 1}`, name: `${spec.name}, gate ${i + 1}` };
  });
}

/** The venue modelled on the NECC Shanghai during the CIIE: halls, areas, forum rooms, gates. */
export function neccVenue(options: VenueOptions = {}): Venue {
  const scale = options.capacityScale ?? 1;
  const min = options.minCapacity ?? 5;
  const zones: VenueZone[] = specs().map((s) => ({
    zoneId: s.id,
    name: s.name,
    kind: s.kind,
    parentId: s.parent,
    capacity: s.capacity === null ? null : Math.max(min, Math.round(s.capacity * scale)),
    antiPassback: s.apb ?? 'soft',
    gates: gatesOf(s),
    unscannedDoors: s.doors,
    ...(s.sectorAreas ? { sectorAreas: s.sectorAreas } : {}),
    ...(s.hallNumber ? { hallNumber: s.hallNumber } : {}),
  }));
  return { zones };
}
