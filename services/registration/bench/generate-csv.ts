import { ATTENDEE_CSV_COLUMNS } from '@expo/schemas';

const CATEGORIES = ['professional_visitor', 'professional_visitor', 'professional_visitor', 'buyer', 'media', 'exhibitor_staff'] as const;
const COUNTRIES = ['CN', 'CN', 'CN', 'CN', 'US', 'DE', 'JP', 'KR', 'FR', 'IT', 'GB', 'BR', 'KE', 'ET', 'MY', 'TH', 'RU', 'AU'];
const SECTORS = ['food', 'food.dairy', 'auto', 'tech', 'tech.ai', 'consumer', 'medical', 'services'];
const SURNAMES = [
  ['Wang', '王'],
  ['Li', '李'],
  ['Zhang', '张'],
  ['Liu', '刘'],
  ['Chen', '陈'],
  ['Yang', '杨'],
] as const;
const GIVEN = [
  ['Wei', '伟'],
  ['Fang', '芳'],
  ['Min', '敏'],
  ['Jing', '静'],
  ['Lei', '磊'],
  ['Yan', '燕'],
] as const;

/**
 * `count` attendee rows as CSV, deterministic from `seed` (a linear congruential generator), with
 * Chinese and Latin names, a realistic country mix and unique emails per seed.
 */
export function attendeeCsv(count: number, seed: number, exhibitorId: string): string {
  let state = seed >>> 0;
  const next = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const lines: string[] = [ATTENDEE_CSV_COLUMNS.join(',')];
  for (let i = 0; i < count; i++) {
    const category = CATEGORIES[next(CATEGORIES.length)]!;
    const [sn, snLocal] = SURNAMES[next(SURNAMES.length)]!;
    const [gn, gnLocal] = GIVEN[next(GIVEN.length)]!;
    const country = COUNTRIES[next(COUNTRIES.length)]!;
    const local = country === 'CN' ? `${snLocal}${gnLocal}` : '';
    const interests = [SECTORS[next(SECTORS.length)], SECTORS[next(SECTORS.length)]].join(';');
    const day = `2024-11-0${5 + next(3)}`;
    lines.push(
      [
        category,
        `${gn} ${sn}`,
        local,
        `v${seed}.${i}@bench.example.com`,
        'Bench Trading Co',
        country,
        interests,
        day,
        '',
        '',
        category === 'exhibitor_staff' ? exhibitorId : '',
        'true',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}
