import {
  BUDGET_BAND_CODES,
  SECTOR_AREAS,
  WORLD_REGION_CODES,
  type BudgetBand,
  type CountryCode,
  type PurchaseRequirementBody,
  type SectorCode,
} from '@expo/schemas';
import { splitExactly, type Random } from '../random.ts';
import type { SeedSize } from './sizes.ts';

export interface PlannedSubGroup {
  readonly key: string;
  readonly name: string;
  readonly interests: SectorCode[];
  readonly budgetBand: BudgetBand;
  readonly requirements: PurchaseRequirementBody[];
}

export interface PlannedDelegation {
  readonly key: string;
  readonly name: string;
  readonly nameLocal: string;
  readonly kind: 'government' | 'industry';
  readonly country: CountryCode;
  readonly origin: string;
  readonly subGroups: PlannedSubGroup[];
}

// CIIE trading groups: every provincial-level region, the XPCC, the five separately planned
// cities and the central enterprises (39), and four national chambers of commerce (industry).
const GOVERNMENT_ORIGINS: ReadonlyArray<readonly [string, string]> = [
  ['Beijing', '北京'],
  ['Tianjin', '天津'],
  ['Hebei', '河北'],
  ['Shanxi', '山西'],
  ['Inner Mongolia', '内蒙古'],
  ['Liaoning', '辽宁'],
  ['Jilin', '吉林'],
  ['Heilongjiang', '黑龙江'],
  ['Shanghai', '上海'],
  ['Jiangsu', '江苏'],
  ['Zhejiang', '浙江'],
  ['Anhui', '安徽'],
  ['Fujian', '福建'],
  ['Jiangxi', '江西'],
  ['Shandong', '山东'],
  ['Henan', '河南'],
  ['Hubei', '湖北'],
  ['Hunan', '湖南'],
  ['Guangdong', '广东'],
  ['Guangxi', '广西'],
  ['Hainan', '海南'],
  ['Chongqing', '重庆'],
  ['Sichuan', '四川'],
  ['Guizhou', '贵州'],
  ['Yunnan', '云南'],
  ['Tibet', '西藏'],
  ['Shaanxi', '陕西'],
  ['Gansu', '甘肃'],
  ['Qinghai', '青海'],
  ['Ningxia', '宁夏'],
  ['Xinjiang', '新疆'],
  ['Xinjiang Production and Construction Corps', '新疆生产建设兵团'],
  ['Dalian', '大连'],
  ['Qingdao', '青岛'],
  ['Ningbo', '宁波'],
  ['Xiamen', '厦门'],
  ['Shenzhen', '深圳'],
  ['Central Enterprises', '中央企业'],
  ['Central Financial Enterprises', '中央金融企业'],
];

const INDUSTRY_ORIGINS: ReadonlyArray<readonly [string, string]> = [
  ['China Chamber of Commerce for Import and Export of Foodstuffs, Native Produce and Animal By-products', '中国食品土畜进出口商会'],
  ['China Chamber of Commerce for Import and Export of Machinery and Electronic Products', '中国机电产品进出口商会'],
  ['China Chamber of Commerce for Import and Export of Medicines and Health Products', '中国医药保健品进出口商会'],
  ['China Chamber of Commerce for Import and Export of Light Industrial Products and Arts-crafts', '中国轻工工艺品进出口商会'],
];

function interestsOf(random: Random): SectorCode[] {
  const area = random.pick(SECTOR_AREAS);
  const categories = random.sample(
    area.categories.map((c) => c.code),
    random.int(1, 3),
  );
  return [area.code, ...categories];
}

function requirementOf(random: Random, interests: readonly SectorCode[], band: BudgetBand): PurchaseRequirementBody {
  const labels = SECTOR_AREAS.flatMap((a): Array<{ code: SectorCode; en: string }> => [...a.categories]).filter((c) => interests.includes(c.code));
  const keywords = labels
    .flatMap((l) =>
      l.en
        .toLowerCase()
        .split(/[^a-z-]+/)
        .filter((w) => w.length > 3),
    )
    .slice(0, 5);
  const requirement: PurchaseRequirementBody = {
    sectors: random.sample(interests, random.int(1, interests.length)),
    keywords,
    quantity: `${random.int(1, 50) * 10} ${random.pick(['t per year', 'units', 'containers', 'sets', 'licences'])}`,
    budgetBand: band,
  };
  if (random.chance(0.3))
    requirement.originRegions = random.sample(
      WORLD_REGION_CODES.filter((r) => r !== 'antarctica'),
      random.int(1, 2),
    );
  return requirement;
}

/** Procurement delegations with exactly `size.subGroups` trade sub-groups among them. */
export function planDelegations(random: Random, size: SeedSize): PlannedDelegation[] {
  const origins = [
    ...GOVERNMENT_ORIGINS.slice(0, size.governmentDelegations).map((o) => ({ origin: o, kind: 'government' as const })),
    ...INDUSTRY_ORIGINS.slice(0, size.industryDelegations).map((o) => ({ origin: o, kind: 'industry' as const })),
  ];
  const wanted = size.governmentDelegations + size.industryDelegations;
  if (origins.length !== wanted) throw new Error(`at most ${GOVERNMENT_ORIGINS.length} + ${INDUSTRY_ORIGINS.length} delegations are known`);
  const counts = splitExactly(random, size.subGroups, origins.length, 1);
  return origins.map(({ origin: [en, zh], kind }, d) => {
    const key = `del-${String(d + 1).padStart(3, '0')}`;
    const subGroups = Array.from({ length: counts[d]! }, (_, g): PlannedSubGroup => {
      const interests = interestsOf(random);
      const band = random.pick(BUDGET_BAND_CODES);
      const area = SECTOR_AREAS.find((a) => a.code === interests[0])!;
      return {
        key: `${key}-sg-${String(g + 1).padStart(3, '0')}`,
        name: `${en}: ${area.en} sub-group ${g + 1}`.slice(0, 200),
        interests,
        budgetBand: band,
        requirements: Array.from({ length: size.requirementsPerSubGroup }, () => requirementOf(random, interests, band)),
      };
    });
    const name = kind === 'government' ? `${en} Trading Group` : en;
    return { key, name: name.slice(0, 200), nameLocal: kind === 'government' ? `${zh}交易团` : zh, kind, country: 'CN', origin: en, subGroups };
  });
}
