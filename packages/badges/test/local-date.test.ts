import { describe, expect, it } from 'vitest';
import { localDateFormatter } from '../src/local-date.ts';

describe('localDateFormatter', () => {
  it("gives the expo's calendar day, not UTC's", () => {
    const shanghai = localDateFormatter('Asia/Shanghai');
    expect(shanghai(new Date('2024-11-05T15:59:59Z'))).toBe('2024-11-05');
    expect(shanghai(new Date('2024-11-05T16:30:00Z'))).toBe('2024-11-06');
    expect(localDateFormatter('UTC')(new Date('2024-11-05T16:30:00Z'))).toBe('2024-11-05');
    expect(localDateFormatter('America/Sao_Paulo')(new Date('2025-01-01T01:00:00Z'))).toBe('2024-12-31');
  });

  it('answers right when asked about the same minute and then about another day', () => {
    const shanghai = localDateFormatter('Asia/Shanghai');
    expect(shanghai(new Date('2024-11-05T15:59:00Z'))).toBe('2024-11-05');
    expect(shanghai(new Date('2024-11-05T15:59:59.999Z'))).toBe('2024-11-05');
    expect(shanghai(new Date('2024-11-05T16:00:00Z'))).toBe('2024-11-06');
    expect(shanghai(new Date('2024-11-05T15:59:30Z'))).toBe('2024-11-05');
  });

  it('rejects an unknown time zone when built', () => {
    expect(() => localDateFormatter('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
