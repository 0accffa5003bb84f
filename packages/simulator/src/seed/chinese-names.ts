import type { Random } from '../random.ts';

// Common surnames and given-name characters with their pinyin, so a Chinese attendee's Latin
// name and local name are the same person (faker's zh_CN locale has characters but no pinyin).
const SURNAMES: ReadonlyArray<readonly [string, string]> = [
  ['Wang', '王'],
  ['Li', '李'],
  ['Zhang', '张'],
  ['Liu', '刘'],
  ['Chen', '陈'],
  ['Yang', '杨'],
  ['Huang', '黄'],
  ['Zhao', '赵'],
  ['Wu', '吴'],
  ['Zhou', '周'],
  ['Xu', '徐'],
  ['Sun', '孙'],
  ['Ma', '马'],
  ['Zhu', '朱'],
  ['Hu', '胡'],
  ['Guo', '郭'],
  ['He', '何'],
  ['Lin', '林'],
  ['Gao', '高'],
  ['Luo', '罗'],
  ['Zheng', '郑'],
  ['Liang', '梁'],
  ['Xie', '谢'],
  ['Song', '宋'],
  ['Tang', '唐'],
  ['Han', '韩'],
  ['Feng', '冯'],
  ['Deng', '邓'],
  ['Cao', '曹'],
  ['Peng', '彭'],
  ['Zeng', '曾'],
  ['Xiao', '肖'],
  ['Tian', '田'],
  ['Dong', '董'],
  ['Pan', '潘'],
];

const GIVEN: ReadonlyArray<readonly [string, string]> = [
  ['wei', '伟'],
  ['fang', '芳'],
  ['min', '敏'],
  ['jing', '静'],
  ['lei', '磊'],
  ['yan', '燕'],
  ['jun', '军'],
  ['yang', '洋'],
  ['yong', '勇'],
  ['jie', '杰'],
  ['juan', '娟'],
  ['tao', '涛'],
  ['ming', '明'],
  ['chao', '超'],
  ['xiu', '秀'],
  ['xia', '霞'],
  ['ping', '平'],
  ['gang', '刚'],
  ['hui', '慧'],
  ['hua', '华'],
  ['jian', '建'],
  ['guo', '国'],
  ['hong', '红'],
  ['li', '丽'],
  ['qiang', '强'],
  ['lin', '琳'],
  ['xin', '欣'],
  ['yu', '宇'],
  ['hao', '浩'],
  ['kai', '凯'],
  ['ning', '宁'],
  ['rui', '睿'],
  ['shu', '淑'],
  ['ting', '婷'],
  ['wen', '文'],
  ['xue', '雪'],
  ['yi', '怡'],
  ['zhi', '志'],
  ['bo', '博'],
  ['chen', '晨'],
  ['dan', '丹'],
  ['feng', '峰'],
];

/** A Chinese person's name: `{ name: 'Zhang Weiming', nameLocal: '张伟明' }` (surname first in both). */
export function chineseName(random: Random): { name: string; nameLocal: string } {
  const [surname, surnameLocal] = random.pick(SURNAMES);
  const parts = random.chance(0.7) ? [random.pick(GIVEN), random.pick(GIVEN)] : [random.pick(GIVEN)];
  const given = parts.map(([p]) => p).join('');
  return {
    name: `${surname} ${given.charAt(0).toUpperCase()}${given.slice(1)}`,
    nameLocal: `${surnameLocal}${parts.map(([, c]) => c).join('')}`,
  };
}

const CITIES = [
  'Shanghai',
  'Beijing',
  'Shenzhen',
  'Guangzhou',
  'Hangzhou',
  'Suzhou',
  'Nanjing',
  'Chengdu',
  'Wuhan',
  'Ningbo',
  'Qingdao',
  'Xiamen',
  'Tianjin',
  'Chongqing',
];
const BRANDS = [
  'Huaxin',
  'Zhongda',
  'Jinhai',
  'Hengtong',
  'Ruifeng',
  'Xinyuan',
  'Dongfang',
  'Tianrui',
  'Boya',
  'Kaida',
  'Minsheng',
  'Yongxin',
  'Huamei',
  'Lianhe',
];
const TRADES = ['Trading', 'Import & Export', 'Supply Chain', 'Technology', 'Food', 'Medical', 'Retail', 'Industrial', 'Logistics', 'Investment'];

/** A Chinese company as it writes its English name, e.g. "Ningbo Ruifeng Import & Export Co., Ltd.". */
export function chineseCompanyName(random: Random): string {
  return `${random.pick(CITIES)} ${random.pick(BRANDS)} ${random.pick(TRADES)} Co., Ltd.`;
}
