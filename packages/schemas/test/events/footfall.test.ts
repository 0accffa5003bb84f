import { describe, expect, it } from 'vitest';
import { FootfallBucketClosed } from '../../src/events/footfall.ts';
import { exampleRecord, footfallBucket } from '../examples.ts';

describe('footfall.bucket_closed', () => {
  it('accepts a closed bucket, also one reclosed with late scans', () => {
    expect(FootfallBucketClosed.envelope.parse(exampleRecord(FootfallBucketClosed)).data.bucketMinutes).toBe(1);
    expect(FootfallBucketClosed.data.safeParse(footfallBucket({ late: 3 })).success).toBe(true);
  });

  it.each([
    ['negative counts', { exits: -1 }],
    ['fractional counts', { entries: 1.5 }],
    ['a zero-minute bucket', { bucketMinutes: 0 }],
    ['a start without offset', { bucketStart: '2024-11-05T09:30:00' }],
  ])('rejects %s', (_what, change) => {
    expect(FootfallBucketClosed.data.safeParse({ ...footfallBucket(), ...change }).success).toBe(false);
  });
});
