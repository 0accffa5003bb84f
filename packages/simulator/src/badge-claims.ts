import { BadgeTokenPayload } from '@expo/schemas';

/**
 * The claims of a badge token, read without verifying the signature: the simulator only needs to
 * know whose badge it holds and what it opens, as a person reads their own printed badge.
 */
export function badgeClaims(token: string): BadgeTokenPayload {
  const [payload] = token.split('.');
  if (!payload) throw new Error('a badge token has a payload before the dot');
  return BadgeTokenPayload.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
}
