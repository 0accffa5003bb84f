import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url } from '../src/base64url.ts';

describe('base64url', () => {
  it('round-trips bytes without padding', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00, 0x01]);
    const text = encodeBase64url(bytes);
    expect(text).toBe('-_-_AAE');
    expect([...decodeBase64url(text)!]).toEqual([...bytes]);
  });

  it('rejects padding, foreign characters and impossible lengths', () => {
    for (const text of ['AAE=', 'AA+E', 'AA/E', 'AA E', 'A', 'AAAAA']) expect(decodeBase64url(text)).toBeNull();
  });

  it('rejects a second spelling of the same bytes, so a token has exactly one valid form', () => {
    // 'AAE' is [0, 1]; 'AAF' differs only in the unused low bits of the last character.
    expect([...decodeBase64url('AAE')!]).toEqual([0, 1]);
    expect(decodeBase64url('AAF')).toBeNull();
  });
});
