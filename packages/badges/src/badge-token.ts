import { Buffer } from 'node:buffer';
import { sign, type KeyObject } from 'node:crypto';
import { BadgeTokenPayload } from '@expo/schemas';
import { decodeBase64url, encodeBase64url } from './base64url.ts';

/** What registration decides about a badge; `v` and `kid` follow from the token format and the key. */
export type BadgeClaims = Omit<BadgeTokenPayload, 'v' | 'kid'> & Partial<Pick<BadgeTokenPayload, 'v' | 'kid'>>;

export interface TokenSigner {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

/**
 * Far above any real token (a QR code holds at most 2,953 bytes), low enough that a hostile scan
 * cannot make a scanner decode and parse megabytes.
 */
export const MAX_BADGE_TOKEN_LENGTH = 4096;

const ED25519_SIGNATURE_BYTES = 64;
// Fatal, so a payload that is not valid UTF-8 is garbage rather than silently repaired.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** A token cut into what the signature covers, the still unverified payload and the signature. */
export interface BadgeTokenParts {
  readonly signingInput: Buffer;
  readonly claims: unknown;
  readonly signature: Buffer;
}

export function signBadgeToken(claims: BadgeClaims, key: TokenSigner): string {
  if (claims.kid !== undefined && claims.kid !== key.kid) {
    throw new Error(`payload kid ${claims.kid} does not match the signing key ${key.kid}`);
  }
  const payload = BadgeTokenPayload.parse({ ...claims, v: 1, kid: key.kid });
  const encoded = encodeBase64url(compactJson(payload));
  const signature = sign(null, Buffer.from(encoded, 'ascii'), key.privateKey);
  return `${encoded}.${encodeBase64url(signature)}`;
}

/**
 * The payload of a well-formed token, WITHOUT checking its signature: for display and debugging
 * only. Anything that grants access must go through a verifier. Never throws.
 */
export function decodeBadgeToken(token: unknown): BadgeTokenPayload | null {
  const parts = splitBadgeToken(token);
  if (!parts) return null;
  const parsed = BadgeTokenPayload.safeParse(parts.claims);
  return parsed.success ? parsed.data : null;
}

export function splitBadgeToken(token: unknown): BadgeTokenParts | null {
  if (typeof token !== 'string' || token.length > MAX_BADGE_TOKEN_LENGTH) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || token.indexOf('.', dot + 1) !== -1) return null;
  const encodedPayload = token.slice(0, dot);
  const payloadBytes = decodeBase64url(encodedPayload);
  const signature = decodeBase64url(token.slice(dot + 1));
  if (!payloadBytes || signature?.length !== ED25519_SIGNATURE_BYTES) return null;
  const claims = parseJson(payloadBytes);
  if (claims === undefined) return null;
  return { signingInput: Buffer.from(encodedPayload, 'ascii'), claims, signature };
}

/** Field order fixed and nothing but the schema's fields: every byte costs QR code modules. */
function compactJson(p: BadgeTokenPayload): string {
  return JSON.stringify({ v: p.v, kid: p.kid, bid: p.bid, aid: p.aid, eid: p.eid, cat: p.cat, acc: p.acc, from: p.from, to: p.to });
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(UTF8.decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}
