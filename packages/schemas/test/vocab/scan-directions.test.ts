import { describe, expect, it } from 'vitest';
import { ScanRequest } from '../../src/http/badge-scanning/scans.ts';

const scan = { scanId: '6c7f3b1e-2d4a-4f7b-9a51-0c8e2f4d1a93', badgeToken: 'eyJ2IjoxfQ.c2ln', scannedAt: '2024-11-05T09:30:00+08:00' };

describe('scan directions', () => {
  it.each(['in', 'out'])('a scan %s is accepted', (direction) => {
    expect(ScanRequest.safeParse({ ...scan, direction }).success).toBe(true);
  });

  it.each(['IN', 'Out', 'exit', 'through', ''])('a scan with direction %j is refused, on its direction field', (direction) => {
    const parsed = ScanRequest.safeParse({ ...scan, direction });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['direction']);
  });
});
