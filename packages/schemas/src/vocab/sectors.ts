import { z } from 'zod';

/**
 * The sector taxonomy matchmaking scores on and attendees state interests in: the six CIIE
 * business-exhibition areas and the innovation incubation zone, each with finer categories.
 * A code is `<area>` or `<area>.<category>`; codes are stable identifiers (records on compacted
 * topics keep them for ever), labels may be reworded.
 */
export const SECTOR_AREAS = [
  {
    code: 'food',
    en: 'Food and agricultural products',
    zh: '食品及农产品',
    categories: [
      { code: 'food.dairy', en: 'Dairy products', zh: '乳制品' },
      { code: 'food.meat', en: 'Meat', zh: '肉类' },
      { code: 'food.seafood', en: 'Seafood and aquatic products', zh: '水产品' },
      { code: 'food.fruit_vegetables', en: 'Fruit and vegetables', zh: '果蔬' },
      { code: 'food.grain_oils', en: 'Grain and edible oils', zh: '粮油' },
      { code: 'food.beverages_alcohol', en: 'Beverages and alcoholic drinks', zh: '酒类及饮料' },
      { code: 'food.snacks_confectionery', en: 'Snacks and confectionery', zh: '休闲食品及糖果' },
      { code: 'food.health_foods', en: 'Health foods and supplements', zh: '保健食品' },
    ],
  },
  {
    code: 'auto',
    en: 'Automobile',
    zh: '汽车',
    categories: [
      { code: 'auto.new_energy_vehicles', en: 'New energy vehicles', zh: '新能源汽车' },
      { code: 'auto.intelligent_connected', en: 'Intelligent connected vehicles', zh: '智能网联汽车' },
      { code: 'auto.passenger_vehicles', en: 'Passenger vehicles', zh: '乘用车' },
      { code: 'auto.commercial_vehicles', en: 'Commercial vehicles', zh: '商用车' },
      { code: 'auto.parts', en: 'Automotive parts and components', zh: '汽车零部件' },
      { code: 'auto.aftermarket', en: 'Automotive aftermarket and services', zh: '汽车后市场及服务' },
    ],
  },
  {
    code: 'tech',
    en: 'Technical equipment',
    zh: '技术装备',
    categories: [
      { code: 'tech.integrated_circuits', en: 'Integrated circuits', zh: '集成电路' },
      { code: 'tech.ai', en: 'Artificial intelligence', zh: '人工智能' },
      { code: 'tech.robotics', en: 'Robotics', zh: '机器人' },
      { code: 'tech.industrial_automation', en: 'Industrial automation and smart manufacturing', zh: '工业自动化及智能制造' },
      { code: 'tech.machine_tools', en: 'Machine tools', zh: '机床' },
      { code: 'tech.energy_low_carbon', en: 'Energy, low-carbon and environmental technology', zh: '能源低碳及环保技术' },
      { code: 'tech.digital_technology', en: 'Digital technology and communications', zh: '数字技术及通信' },
    ],
  },
  {
    code: 'consumer',
    en: 'Consumer goods',
    zh: '消费品',
    categories: [
      { code: 'consumer.cosmetics', en: 'Cosmetics and personal care', zh: '美妆及日化用品' },
      { code: 'consumer.apparel', en: 'Apparel and accessories', zh: '服装服饰' },
      { code: 'consumer.jewellery_watches', en: 'Jewellery and watches', zh: '珠宝首饰及钟表' },
      { code: 'consumer.home_furnishings', en: 'Home furnishings', zh: '家居用品' },
      { code: 'consumer.electronics_appliances', en: 'Consumer electronics and smart appliances', zh: '消费电子及智能家电' },
      { code: 'consumer.sports_outdoor', en: 'Sports and outdoor goods', zh: '体育及户外用品' },
      { code: 'consumer.maternal_infant_toys', en: 'Maternal, infant and toys', zh: '母婴用品及玩具' },
    ],
  },
  {
    code: 'medical',
    en: 'Medical equipment and healthcare',
    zh: '医疗器械及医药保健',
    categories: [
      { code: 'medical.devices', en: 'Medical devices', zh: '医疗器械' },
      { code: 'medical.pharmaceuticals', en: 'Pharmaceuticals', zh: '药品' },
      { code: 'medical.biotechnology', en: 'Biotechnology', zh: '生物技术' },
      { code: 'medical.diagnostics', en: 'In-vitro diagnostics', zh: '体外诊断' },
      { code: 'medical.elderly_care_rehabilitation', en: 'Elderly care and rehabilitation', zh: '养老及康复' },
      { code: 'medical.health_services', en: 'Healthcare services', zh: '医疗健康服务' },
      { code: 'medical.nutrition_wellness', en: 'Nutrition and wellness', zh: '营养保健' },
    ],
  },
  {
    code: 'services',
    en: 'Trade in services',
    zh: '服务贸易',
    categories: [
      { code: 'services.finance', en: 'Financial services', zh: '金融服务' },
      { code: 'services.logistics', en: 'Logistics and supply chain', zh: '物流及供应链' },
      { code: 'services.consulting', en: 'Consulting and professional services', zh: '咨询及专业服务' },
      { code: 'services.tourism', en: 'Tourism', zh: '旅游服务' },
      { code: 'services.culture_creative', en: 'Culture and creative industries', zh: '文化创意' },
      { code: 'services.education', en: 'Education and training', zh: '教育培训' },
      { code: 'services.testing_certification', en: 'Testing, inspection and certification', zh: '检验检测认证' },
    ],
  },
  {
    code: 'incubation',
    en: 'Innovation incubation zone',
    zh: '创新孵化专区',
    categories: [
      { code: 'incubation.digital_economy', en: 'Digital economy', zh: '数字经济' },
      { code: 'incubation.green_low_carbon', en: 'Green and low-carbon', zh: '绿色低碳' },
      { code: 'incubation.life_sciences', en: 'Life sciences', zh: '生命科学' },
      { code: 'incubation.manufacturing_technology', en: 'Manufacturing technology', zh: '制造技术' },
    ],
  },
] as const;

type AreaNode = (typeof SECTOR_AREAS)[number];
export type SectorAreaCode = AreaNode['code'];
export type SectorCategoryCode = AreaNode['categories'][number]['code'];
export type SectorCode = SectorAreaCode | SectorCategoryCode;

export interface SectorNode {
  readonly code: SectorCode;
  readonly en: string;
  readonly zh: string;
  /** The area a category belongs to; an area is its own area. */
  readonly area: SectorAreaCode;
}

const NODES: readonly SectorNode[] = SECTOR_AREAS.flatMap((area): SectorNode[] => [
  { code: area.code, en: area.en, zh: area.zh, area: area.code },
  ...area.categories.map((c) => ({ code: c.code, en: c.en, zh: c.zh, area: area.code })),
]);
const BY_CODE: ReadonlyMap<string, SectorNode> = new Map(NODES.map((n) => [n.code, n]));

export const SECTOR_AREA_CODES: readonly SectorAreaCode[] = SECTOR_AREAS.map((a) => a.code);
/** Every area and category code, each area followed by its categories. */
export const SECTOR_CODES: readonly SectorCode[] = NODES.map((n) => n.code);

export const SectorAreaCode = z.enum(SECTOR_AREA_CODES as [SectorAreaCode, ...SectorAreaCode[]]);
export const SectorCode = z.enum(SECTOR_CODES as [SectorCode, ...SectorCode[]]);

export function isSectorCode(value: unknown): value is SectorCode {
  return typeof value === 'string' && BY_CODE.has(value);
}

export function sectorNode(code: SectorCode): SectorNode {
  const node = BY_CODE.get(code);
  if (!node) throw new Error(`unknown sector code ${code}`);
  return node;
}

/** The exhibition area of a code: `sectorArea('tech.ai')` is `tech`. */
export function sectorArea(code: SectorCode): SectorAreaCode {
  return sectorNode(code).area;
}

/** All sector nodes, areas and categories, with labels: what `GET /v1/taxonomy` serves. */
export function sectorNodes(): readonly SectorNode[] {
  return NODES;
}
