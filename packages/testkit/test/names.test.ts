import { describe, expect, it } from 'vitest';
import { testNames } from '../src/names.ts';

describe('testNames', () => {
  it('gives every test its own topics, group, keys and expo id', () => {
    const a = testNames('scan flow');
    const b = testNames('scan flow');
    expect(a.topic('scanning.scans.v1')).not.toBe(b.topic('scanning.scans.v1'));
    expect(a.topic('scanning.scans.v1')).toMatch(/^t\.scan-flow\.[0-9a-f]{10}\.scanning\.scans\.v1$/);
    expect(a.expoId).not.toBe(b.expoId);
    expect(a.groupId).not.toBe(b.groupId);
    expect(a.keyPrefix).not.toBe(b.keyPrefix);
  });
});
