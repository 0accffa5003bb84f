import { describe, expect, it } from 'vitest';
import { generateKey, hashKey, StaticTokens } from '../src/index.ts';

describe('keys and static tokens', () => {
  it('generates url-safe prefixed keys whose hash is hashKey(key)', () => {
    const { key, hash } = generateKey('dev');
    expect(key).toMatch(/^dev_[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(hashKey(key));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(generateKey('dev').key).not.toBe(key);
  });

  it('matches configured tokens to their role and nothing else', () => {
    const tokens = new StaticTokens({ admin: ['a'.repeat(20)], ops: ['o'.repeat(20)] });
    expect(tokens.match('a'.repeat(20))?.role).toBe('admin');
    expect(tokens.match('o'.repeat(20))?.role).toBe('ops');
    expect(tokens.match('x'.repeat(20))).toBeNull();
  });

  it('refuses a token configured for two roles', () => {
    expect(() => new StaticTokens({ admin: ['same-token-1234567'], ops: ['same-token-1234567'] })).toThrow(/twice/);
  });
});
