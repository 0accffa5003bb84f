import { describe, expect, it } from 'vitest';
import { ZoneDefined, ZoneId, ZoneRemoved } from '../../src/events/zones.ts';
import { exampleRecord, zone } from '../examples.ts';

describe('zone events', () => {
  it('accept a zone and its removal', () => {
    expect(ZoneDefined.envelope.parse(exampleRecord(ZoneDefined)).data.gates).toHaveLength(2);
    expect(ZoneRemoved.envelope.safeParse(exampleRecord(ZoneRemoved)).success).toBe(true);
  });

  it('accept the root zone without parent and a zone without capacity', () => {
    expect(ZoneDefined.data.safeParse(zone({ kind: 'venue', parentId: null, capacity: null })).success).toBe(true);
  });

  it.each([
    ['a zero capacity', { capacity: 0 }],
    ['a fractional capacity', { capacity: 10.5 }],
    ['a missing parentId (null is required for the root)', { parentId: undefined }],
    ['an unknown anti-passback policy', { antiPassback: 'lenient' }],
    ['an unknown kind', { kind: 'tent' }],
  ])('reject %s', (_what, change) => {
    expect(ZoneDefined.data.safeParse({ ...zone(), ...change }).success).toBe(false);
  });

  it('refuse zone ids spelled like a zone kind, which badge access lists could not tell apart', () => {
    expect(ZoneId.safeParse('hall').success).toBe(false);
    expect(ZoneId.safeParse('hall-1').success).toBe(true);
  });
});
