import { describe, expect, it } from 'vitest';
import { AntiPassback } from '../../src/vocab/anti-passback.ts';

describe('anti-passback policies', () => {
  it('are strict, soft and off', () => {
    expect(AntiPassback.options).toEqual(['strict', 'soft', 'off']);
  });
});
