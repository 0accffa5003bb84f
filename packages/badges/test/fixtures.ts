import type { BadgeSvgInput } from '../src/badge-svg.ts';
import type { BadgeClaims } from '../src/badge-token.ts';
import { BadgeKeyRing } from '../src/key-ring.ts';

export function badgeClaims(overrides: Partial<BadgeClaims> = {}): BadgeClaims {
  return {
    bid: 'b_01JC8Z5W3Q9YV7K2M4N6P8R0ST',
    aid: 'a_01JC8Z5W3Q9YV7K2M4N6P8R0SV',
    eid: 'ciie-2024',
    cat: 'professional_visitor',
    acc: ['hall', 'forum'],
    from: '2024-11-05',
    to: '2024-11-10',
    ...overrides,
  };
}

/** The token with the character at `index` replaced by another base64url character. */
export function withCharChanged(token: string, index: number): string {
  const current = token.charAt(index);
  const replacement = current === 'A' ? 'B' : 'A';
  return token.slice(0, index) + replacement + token.slice(index + 1);
}

export function badgeSvgInput(overrides: Partial<BadgeSvgInput> = {}): BadgeSvgInput {
  const claims = badgeClaims();
  return {
    token: BadgeKeyRing.generate().sign(claims),
    badgeId: claims.bid,
    name: 'Xiaoming Wang',
    nameLocal: '王小明',
    organisation: 'Huang & Partners Trading Co., Ltd.',
    country: 'CN',
    category: claims.cat,
    validFrom: claims.from,
    validTo: claims.to,
    expoName: 'China International Import Expo 2024',
    ...overrides,
  };
}
