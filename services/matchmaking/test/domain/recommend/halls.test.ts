import { describe, expect, it } from 'vitest';
import { hallKeys, hallMatchesZone, normaliseHall } from '../../../src/domain/recommend/halls.ts';

describe('hall matching', () => {
  it('normalises to lower case letters, digits and dots', () => {
    expect(normaliseHall(' Hall 5.1 ')).toBe('hall5.1');
    expect(normaliseHall('HALL-5.1/B')).toBe('hall5.1b');
    expect(normaliseHall('5.1号馆')).toBe('5.1号馆');
    expect(hallKeys('Hall 5.1')).toEqual(['hall5.1', '5.1']);
    expect(hallKeys('5.1')).toEqual(['5.1']);
    expect(hallKeys('Hall')).toEqual(['hall']);
    expect(hallKeys(' - ')).toEqual([]);
  });

  it('matches the exhibitor’s hall to the zone id, the zone name, or either without a leading "hall"', () => {
    expect(hallMatchesZone('5.1', { zoneId: '5.1', name: 'Food and agriculture' })).toBe(true);
    expect(hallMatchesZone('Hall 5.1', { zoneId: 'z-51', name: 'Hall 5.1' })).toBe(true);
    expect(hallMatchesZone('5.1', { zoneId: 'z-51', name: 'Hall 5.1' })).toBe(true);
    expect(hallMatchesZone('5.1', { zoneId: 'hall-5.1', name: 'Food' })).toBe(true);
    expect(hallMatchesZone('hall 5.1', { zoneId: 'HALL5.1', name: 'Food' })).toBe(true);
    expect(hallMatchesZone('Hall 5.1', { zoneId: 'z-51', name: '5.1' })).toBe(true);
    expect(hallMatchesZone('5.1', { zoneId: '5.1' })).toBe(true);
  });

  it('does not match another hall, a prefix, or an empty name', () => {
    expect(hallMatchesZone('5.1', { zoneId: 'hall-5.2', name: 'Hall 5.2' })).toBe(false);
    expect(hallMatchesZone('5.1', { zoneId: 'hall-5.10', name: 'Hall 5.10' })).toBe(false);
    expect(hallMatchesZone('51', { zoneId: 'z', name: 'Hall 5.1' })).toBe(false);
    expect(hallMatchesZone(' ', { zoneId: 'z', name: ' ' })).toBe(false);
    expect(hallMatchesZone('Hall 5.1', { zoneId: 'venue', name: 'NECC Shanghai' })).toBe(false);
  });
});
