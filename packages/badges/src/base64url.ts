import { Buffer } from 'node:buffer';

const ALPHABET = /^[A-Za-z0-9_-]*$/;

export function encodeBase64url(data: Uint8Array | string): string {
  return (typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)).toString('base64url');
}

/**
 * Strict unpadded base64url: Node's decoder skips characters it does not know and ignores the
 * unused low bits of the last character, so two different strings could decode to the same bytes.
 * Accepting only the canonical spelling means a token has exactly one valid form, and a changed
 * character is always a different (and therefore unsigned) token.
 */
export function decodeBase64url(text: string): Buffer | null {
  if (text.length % 4 === 1 || !ALPHABET.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}
