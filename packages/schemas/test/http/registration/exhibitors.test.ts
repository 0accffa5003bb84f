import { describe, expect, it } from 'vitest';
import { RegisterExhibitorBody, RegisterExhibitorResponse } from '../../../src/http/registration/exhibitors.ts';
import { exhibitor } from '../../examples.ts';

describe('exhibitor registration over HTTP', () => {
  it('defaults the flags and products, and lets registration assign ids', () => {
    const parsed = RegisterExhibitorBody.parse({
      name: 'Acme Robotics',
      country: 'DE',
      sectors: ['tech.robotics'],
      hall: '4.1',
      booth: 'B01',
      products: [{ name: 'Arm X', sectors: ['tech.robotics'] }],
    });
    expect(parsed.fortuneGlobal500).toBe(false);
    expect(parsed.leastDevelopedCountry).toBe(false);
    expect(parsed.products[0]).toEqual({ name: 'Arm X', sectors: ['tech.robotics'], debut: false });
  });

  it('answers the exhibitor with its key', () => {
    const { changed: _c, ...snapshot } = exhibitor();
    expect(RegisterExhibitorResponse.safeParse({ ...snapshot, exhibitorKey: 'ek_0123456789abcdef' }).success).toBe(true);
  });
});
