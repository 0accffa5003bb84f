import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ScanResult } from '../../src/http/badge-scanning/scans.ts';
import { RejectionReason, ScanDecision } from '../../src/vocab/scan-decisions.ts';

// The answer to a scan as docs/http.md shows it to scanner vendors, who switch on these codes.
const httpDoc = readFileSync(new URL('../../../../docs/http.md', import.meta.url), 'utf8');
const documented = (field: string): string[] => {
  const union = httpDoc.match(new RegExp(`"${field}": ((?:null|"[a-z_]+")(?: \\| (?:null|"[a-z_]+"))*)`))?.[1] ?? '';
  return [...union.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]!);
};

const rejected = {
  scanId: '6c7f3b1e-2d4a-4f7b-9a51-0c8e2f4d1a93',
  decision: 'rejected',
  zoneId: 'hall-7-1',
  occupancy: 123,
  capacity: 500,
  replayed: false,
  badge: null,
};

describe('scan decisions', () => {
  it('are the decisions and rejection reasons of docs/http.md, exactly', () => {
    expect(new Set(ScanDecision.options)).toEqual(new Set(documented('decision')));
    expect(new Set(RejectionReason.options)).toEqual(new Set(documented('reason')));
  });

  it.each(documented('reason'))('a scan rejected for %s is answered', (reason) => {
    expect(ScanResult.safeParse({ ...rejected, reason }).success).toBe(true);
  });

  it.each(['full', 'too_early', 'Revoked', 'expired'])('a scan rejected for %j, a reason docs/http.md does not list, is not', (reason) => {
    const parsed = ScanResult.safeParse({ ...rejected, reason });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['reason']);
  });

  it.each(['maybe', 'Accepted', 'denied'])('a scan decided %j is not answered', (decision) => {
    expect(ScanResult.safeParse({ ...rejected, decision, reason: null }).success).toBe(false);
  });
});
