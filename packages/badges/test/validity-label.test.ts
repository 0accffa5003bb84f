import { describe, expect, it } from 'vitest';
import { validityLabelEn, validityLabelZh } from '../src/validity-label.ts';

describe('validity labels', () => {
  it.each([
    ['2024-11-05', '2024-11-05', '5 Nov 2024', '2024年11月5日'],
    ['2024-11-05', '2024-11-10', '5–10 Nov 2024', '2024年11月5日至10日'],
    ['2024-10-30', '2024-11-02', '30 Oct – 2 Nov 2024', '2024年10月30日至11月2日'],
    ['2024-12-30', '2025-01-02', '30 Dec 2024 – 2 Jan 2025', '2024年12月30日至2025年1月2日'],
  ])('%s to %s', (from, to, en, zh) => {
    expect(validityLabelEn(from, to)).toBe(en);
    expect(validityLabelZh(from, to)).toBe(zh);
  });
});
