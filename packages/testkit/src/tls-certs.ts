import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A throwaway certificate authority and a server certificate it signed, as files. */
export interface TlsCerts {
  readonly dir: string;
  /** The authority's certificate (PEM): what a client must trust (KAFKA_SSL_CA_FILE, REDIS_TLS_CA_FILE). */
  readonly caFile: string;
  /** The server's certificate (PEM) for 127.0.0.1 and localhost, signed by the authority. */
  readonly certFile: string;
  /** Its private key (PEM, unencrypted). */
  readonly keyFile: string;
  /** Key, certificate and the authority in one PKCS12 keystore (Kafka's `ssl.keystore.location`). */
  readonly keystoreFile: string;
  readonly keystorePassword: string;
  /** Removes the directory. */
  remove(): void;
}

const run = promisify(execFile);

/**
 * Makes a CA and a server certificate for 127.0.0.1 and localhost with `openssl`, in a temporary
 * directory, valid for a day: TLS tests against a real redis-server or Kafka broker. Elliptic-curve
 * keys (P-256), quick to make.
 */
export async function makeTlsCerts(): Promise<TlsCerts> {
  const dir = mkdtempSync(join(tmpdir(), 'expo-test-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await openssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=expo test CA');
    await openssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost');
    writeFileSync(
      file('server.ext'),
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage=serverAuth,clientAuth',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '',
      ].join('\n'),
    );
    await openssl(
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-CAcreateserial',
      '-days',
      '1',
      '-extfile',
      file('server.ext'),
      '-out',
      file('server.pem'),
    );
    const keystorePassword = randomBytes(12).toString('hex');
    await openssl(
      'pkcs12',
      '-export',
      '-in',
      file('server.pem'),
      '-inkey',
      file('server.key'),
      '-certfile',
      file('ca.pem'),
      '-name',
      'server',
      '-passout',
      `pass:${keystorePassword}`,
      '-out',
      file('server.p12'),
    );
    return {
      dir,
      caFile: file('ca.pem'),
      certFile: file('server.pem'),
      keyFile: file('server.key'),
      keystoreFile: file('server.p12'),
      keystorePassword,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const { stderr } = error as { stderr?: string };
    throw new Error(`openssl could not make the test certificates${stderr ? `:\n${stderr}` : ''}`, { cause: error });
  }
}
