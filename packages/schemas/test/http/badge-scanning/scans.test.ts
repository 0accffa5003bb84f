import { describe, expect, it } from 'vitest';
import { ScanBatchRequest, ScanRequest, ScanResult } from '../../../src/http/badge-scanning/scans.ts';

const scan = {
  scanId: '6c7f3b1e-2d4a-4f7b-9a51-0c8e2f4d1a93',
  badgeToken: 'eyJ2IjoxfQ.c2ln',
  direction: 'in',
  scannedAt: '2024-11-05T09:30:00+08:00',
};

describe('scans over HTTP', () => {
  it('accept the scan docs/http.md shows', () => {
    expect(ScanRequest.parse(scan)).toEqual(scan);
  });

  it.each([
    ['a scanId that is not a UUID', { scanId: 'scan-1' }],
    ['an unknown direction', { direction: 'through' }],
    ['a device time without offset', { scannedAt: '2024-11-05T09:30:00' }],
    ['an empty token', { badgeToken: '' }],
  ])('reject %s', (_what, change) => {
    expect(ScanRequest.safeParse({ ...scan, ...change }).success).toBe(false);
  });

  it('answer accepted and rejected scans in the same shape', () => {
    const accepted = {
      scanId: scan.scanId,
      decision: 'accepted',
      reason: null,
      zoneId: 'hall-7-1',
      occupancy: 123,
      capacity: 500,
      replayed: false,
      badge: { badgeId: 'bdg-1', category: 'buyer', displayName: 'Li Wei' },
    };
    expect(ScanResult.parse(accepted)).toEqual(accepted);
    const unreadable = { ...accepted, decision: 'rejected', reason: 'invalid_token', badge: null };
    expect(ScanResult.safeParse(unreadable).success).toBe(true);
    expect(ScanResult.safeParse({ ...accepted, reason: 'too_early' }).success).toBe(false);
  });

  it('take batches of 1 to 1,000 scans', () => {
    expect(ScanBatchRequest.safeParse({ scans: Array.from({ length: 1000 }, () => scan) }).success).toBe(true);
    expect(ScanBatchRequest.safeParse({ scans: Array.from({ length: 1001 }, () => scan) }).success).toBe(false);
    expect(ScanBatchRequest.safeParse({ scans: [] }).success).toBe(false);
  });
});
