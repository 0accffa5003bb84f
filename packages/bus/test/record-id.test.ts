import { describe, expect, it } from 'vitest';
import { derivedRecordId } from '../src/record-id.ts';

describe('derivedRecordId', () => {
  it('gives a record the id it had before: the same parts, the same UUID-shaped id, as records already on the log carry', () => {
    // The id badge-scanning gave the first record of scan-1 into hall-1 before the helper was shared.
    expect(derivedRecordId('ciie-2024', 'scan-1', 0, 'hall-1')).toBe('ee6adacf-df77-5e70-83a9-71f6c6caf7af');
    expect(derivedRecordId('ciie-2024', 'scan-1', 1, 'hall-1')).not.toBe('ee6adacf-df77-5e70-83a9-71f6c6caf7af');
    expect(derivedRecordId('expo', 'a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
