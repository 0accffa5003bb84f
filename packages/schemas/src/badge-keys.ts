import { z } from 'zod';
import { Id } from './primitives.ts';

/**
 * One badge-signing public key as a JWK (RFC 8037): what scanners verify badge tokens with,
 * offline. `x` is the raw 32-byte Ed25519 public key, unpadded base64url (43 characters).
 */
export const BadgePublicJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  alg: z.literal('EdDSA'),
  kid: Id,
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'x is a 32-byte key in unpadded base64url'),
  use: z.literal('sig').optional(),
});
export type BadgePublicJwk = z.infer<typeof BadgePublicJwk>;

export const BadgeJwkSet = z.object({ keys: z.array(BadgePublicJwk) });
export type BadgeJwkSet = z.infer<typeof BadgeJwkSet>;
