/**
 * Node's codes for a server certificate that failed the client's checks: OpenSSL's verification
 * results (an authority the client does not trust, an expired certificate) and the host name check.
 */
const CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

type Wrapped = { code?: unknown; message?: unknown; cause?: unknown; lastNodeError?: unknown } | undefined;

/**
 * Why the server's TLS certificate was not accepted (Node's reason, e.g. "self-signed certificate
 * in certificate chain"), looked for through the error's causes as kafkajs and ioredis wrap it;
 * undefined for any other error. For readiness details that name the variable to fix.
 */
export function untrustedCertificate(error: unknown): string | undefined {
  for (let e = error as Wrapped, depth = 0; e && depth < 10; e = (e.cause ?? e.lastNodeError) as Wrapped, depth++) {
    if (typeof e.code === 'string' && CERTIFICATE_CODES.has(e.code)) {
      const message = typeof e.message === 'string' ? e.message.replace(/^Connection error: /, '') : '';
      return message || e.code;
    }
  }
  return undefined;
}
