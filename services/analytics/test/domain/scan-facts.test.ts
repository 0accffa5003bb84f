import { describe, expect, it } from 'vitest';
import { latenessOf } from '../../src/domain/scan-facts.ts';

describe('latenessOf', () => {
  const policy = { graceMs: 24 * 3600_000, closeDelayMs: 5000 };
  const at = Date.parse('2024-11-05T02:37:42Z');

  it('is on time until its bucket closes', () => {
    expect(latenessOf(at, Date.parse('2024-11-05T02:38:04Z'), policy)).toBe(0);
  });

  it('is late within the grace period once its bucket has closed', () => {
    expect(latenessOf(at, Date.parse('2024-11-05T02:38:05Z'), policy)).toBe(1);
    expect(latenessOf(at, at + 24 * 3600_000, policy)).toBe(1);
  });

  it('is beyond the grace period after it', () => {
    expect(latenessOf(at, at + 24 * 3600_000 + 1, policy)).toBe(2);
  });
});
