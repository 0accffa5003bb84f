import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { BadgePublicJwk, Id } from '@expo/schemas';

/** A badge-signing key: only registration holds these. */
export interface BadgeSigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * A signing key as JSON, for Redis or a config secret. The private key is PKCS#8 PEM because every
 * crypto library and `openssl pkey` read it.
 */
export const SerializedSigningKey = z.object({
  kid: Id,
  alg: z.literal('EdDSA'),
  privateKeyPem: z.string().startsWith('-----BEGIN PRIVATE KEY-----'),
});
export type SerializedSigningKey = z.infer<typeof SerializedSigningKey>;

/**
 * The default kid is the creation day plus randomness: sortable for people rotating keys, unique
 * without coordination, and short because it travels in every badge's QR code.
 */
export function newKeyId(now = new Date()): string {
  return `${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(3).toString('hex')}`;
}

export function generateSigningKey(kid: string = newKeyId()): BadgeSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid: Id.parse(kid), privateKey, publicKey };
}

export function exportSigningKey(key: BadgeSigningKey): SerializedSigningKey {
  const privateKeyPem = key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { kid: key.kid, alg: 'EdDSA', privateKeyPem };
}

/** Error messages name the failing field only: they end up in logs, the key must not. */
export function importSigningKey(json: unknown): BadgeSigningKey {
  const parsed = SerializedSigningKey.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new Error(`invalid serialized signing key (${fields})`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: parsed.data.privateKeyPem, format: 'pem' });
  } catch {
    throw new Error(`signing key ${parsed.data.kid}: privateKeyPem is not a readable PKCS#8 key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`signing key ${parsed.data.kid} is ${privateKey.asymmetricKeyType}, not Ed25519`);
  }
  return { kid: parsed.data.kid, privateKey, publicKey: createPublicKey(privateKey) };
}

/** The public half as published at `GET /v1/badge-keys` (RFC 8037 OKP JWK). */
export function publicJwk(key: { readonly kid: string; readonly publicKey: KeyObject }): BadgePublicJwk {
  const { x } = key.publicKey.export({ format: 'jwk' });
  return BadgePublicJwk.parse({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: key.kid, x });
}
