import { randomUUID } from 'node:crypto';
import { SECTOR_AREAS, type Attendee, type CountryCode, type Exhibitor, type PurchaseRequirementBody, type SectorCode } from '@expo/schemas';
import { seededRandom } from '../src/domain/scheduler/random.ts';

const ENGLISH = [
  'organic',
  'premium',
  'frozen',
  'smart',
  'compact',
  'industrial',
  'portable',
  'wireless',
  'natural',
  'electric',
  'precision',
  'eco',
  'high-speed',
  'modular',
  'certified',
];
const NOUNS = [
  'milk powder',
  'cheese',
  'beef',
  'salmon',
  'shrimp',
  'avocado',
  'coffee beans',
  'olive oil',
  'wine',
  'chocolate',
  'vitamins',
  'battery',
  'sensor',
  'robot arm',
  'machine tool',
  'chip',
  'camera',
  'lidar',
  'charger',
  'serum',
  'handbag',
  'watch',
  'sofa',
  'headphones',
  'stent',
  'insulin',
  'vaccine',
  'test kit',
  'wheelchair',
  'insurance',
  'freight',
  'audit',
  'tour package',
  'film rights',
  'course',
  'inspection',
  'solar panel',
  'heat pump',
  'drone',
  'printer',
];
const CHINESE = [
  '奶粉',
  '牛肉',
  '三文鱼',
  '咖啡豆',
  '橄榄油',
  '葡萄酒',
  '巧克力',
  '电池',
  '传感器',
  '机器人',
  '芯片',
  '相机',
  '精华液',
  '手表',
  '疫苗',
  '试剂盒',
  '轮椅',
  '太阳能板',
  '无人机',
  '打印机',
];
const COUNTRIES: CountryCode[] = ['FR', 'DE', 'US', 'JP', 'KR', 'IT', 'ES', 'AU', 'NZ', 'BR', 'CL', 'TH', 'VN', 'MY', 'ET', 'KE', 'RW', 'BD', 'NP', 'ZA'];
const GENERIC = ['quality', 'export', 'supply', 'wholesale', 'brand', 'factory', 'global', 'standard', 'custom', 'bulk'];
const CATEGORIES: SectorCode[] = SECTOR_AREAS.flatMap((a) => a.categories.map((c) => c.code));
/** Words of a category's trade: product texts and buyers' keywords in one category share them, as in real catalogues. */
const VOCABULARY = new Map(
  CATEGORIES.map((code, i) => [
    code,
    {
      nouns: [NOUNS[i % NOUNS.length]!, NOUNS[(i * 7 + 3) % NOUNS.length]!, NOUNS[(i * 13 + 5) % NOUNS.length]!],
      chinese: [CHINESE[i % CHINESE.length]!, CHINESE[(i * 3 + 1) % CHINESE.length]!],
    },
  ]),
);

export interface ProfileShape {
  readonly exhibitors: number;
  readonly productsPerExhibitor: number;
  readonly buyers: number;
  readonly requirements: number;
  readonly seed?: number;
}

/** CIIE-like profiles: exhibitors with products described in English and often Chinese, buyers with interests and requirements. */
export function generateProfiles(shape: ProfileShape, expoId: string) {
  const random = seededRandom(shape.seed ?? 5);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const exhibitors: Exhibitor[] = Array.from({ length: shape.exhibitors }, (_, i) => {
    const sectors = [pick(CATEGORIES), pick(CATEGORIES)].filter((s, j, all) => all.indexOf(s) === j);
    const country = pick(COUNTRIES);
    return {
      exhibitorId: `ex-${expoId}-${i}`,
      name: `Exhibitor ${i}`,
      country,
      sectors,
      hall: `${1 + (i % 8)}.1`,
      booth: `B${i}`,
      fortuneGlobal500: random() < 0.08,
      leastDevelopedCountry: ['ET', 'RW', 'BD', 'NP'].includes(country),
      africanProductsZone: ['ET', 'KE', 'RW', 'ZA'].includes(country),
      products: Array.from({ length: shape.productsPerExhibitor }, (_, p) => {
        const sector = pick(sectors);
        const words = VOCABULARY.get(sector)!;
        return {
          productId: `pr-${i}-${p}`,
          name: `${pick(ENGLISH)} ${pick(words.nouns)}`,
          ...(random() < 0.5 ? { nameLocal: `${pick(words.chinese)}${pick(CHINESE)}` } : {}),
          description: Array.from({ length: 12 }, () =>
            random() < 0.15 ? pick(words.chinese) : random() < 0.5 ? pick(words.nouns) : pick([...ENGLISH, ...GENERIC]),
          ).join(' '),
          sectors: [sector],
          debut: random() < 0.03,
        };
      }),
    };
  });
  const buyers: Attendee[] = Array.from({ length: shape.buyers }, (_, i) => ({
    attendeeId: `buyer-${expoId}-${i}`,
    category: 'buyer',
    name: `Buyer ${i}`,
    email: `buyer-${i}-${randomUUID().slice(0, 6)}@example.cn`,
    country: 'CN',
    interests: [pick(CATEGORIES), pick(CATEGORIES)].filter((s, j, all) => all.indexOf(s) === j),
    days: [],
    badgeId: `badge-${expoId}-${i}`,
    status: 'active',
    registeredAt: new Date().toISOString(),
  }));
  const requirements: Array<{ buyerId: string; body: PurchaseRequirementBody }> = Array.from({ length: shape.requirements }, (_, i) => {
    const sector = pick(CATEGORIES);
    const words = VOCABULARY.get(sector)!;
    return {
      buyerId: buyers[i % buyers.length]!.attendeeId,
      body: {
        sectors: [sector],
        keywords: [pick(words.nouns), random() < 0.4 ? pick(words.chinese) : random() < 0.8 ? pick(words.nouns) : pick(NOUNS)],
        ...(random() < 0.3 ? { originCountries: [pick(COUNTRIES)] } : {}),
        ...(random() < 0.2 ? { originRegions: ['europe' as const] } : {}),
      },
    };
  });
  return { exhibitors, buyers, requirements };
}
