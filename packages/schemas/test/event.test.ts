import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { AnyEnvelope, defineEvent, type EventInputOf, type EventOf, IsoDateTime } from '../src/event.ts';

const Thing = defineEvent('thing.counted', 2, z.object({ thingId: z.string(), n: z.number().int() }));
const record = {
  id: '0b4c8f0e-9a3d-4c1e-8f5a-3e2d1c0b9a87',
  type: 'thing.counted',
  schemaVersion: 2,
  eventId: 'ciie-2024',
  source: 'test',
  occurredAt: '2024-11-05T09:30:00+08:00',
  recordedAt: '2024-11-05T01:30:00.123Z',
  data: { thingId: 't1', n: 3 },
};

describe('defineEvent', () => {
  it('builds an envelope schema pinned to the type and version', () => {
    expect(Thing.type).toBe('thing.counted');
    expect(Thing.schemaVersion).toBe(2);
    expect(Thing.envelope.parse(record).data.n).toBe(3);
    expect(Thing.envelope.safeParse({ ...record, schemaVersion: 1 }).success).toBe(false);
    expect(Thing.envelope.safeParse({ ...record, type: 'thing.removed' }).success).toBe(false);
  });

  it('requires a UUID id and times with an offset', () => {
    expect(Thing.envelope.safeParse({ ...record, id: 'abc' }).success).toBe(false);
    expect(IsoDateTime.safeParse('2024-11-05T09:30:00').success).toBe(false);
    expect(IsoDateTime.safeParse('2024-11-05T09:30:00Z').success).toBe(true);
  });

  it('reads any record through AnyEnvelope, data untouched', () => {
    expect(AnyEnvelope.parse(record).data).toEqual({ thingId: 't1', n: 3 });
  });

  it('derives the record and producer input types', () => {
    expectTypeOf<EventOf<typeof Thing>['type']>().toEqualTypeOf<'thing.counted'>();
    expectTypeOf<EventOf<typeof Thing>['data']>().toEqualTypeOf<{ thingId: string; n: number }>();
    expectTypeOf<EventInputOf<typeof Thing>>().toHaveProperty('id').toEqualTypeOf<string | undefined>();
  });
});
