import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InfraError } from '../errors.ts';

/** The secured mode's passwords, one per user, kept beside the broker's data (mode 0600). */
export const KAFKA_CREDENTIALS_FILE = 'kafka-credentials.json';

export interface KafkaCredentials {
  /** Where they are kept (JSON: user name → password). */
  readonly file: string;
  /** User name → password. Never logged. */
  readonly passwords: Readonly<Record<string, string>>;
}

/** Letters and digits only (see server-properties.ts), 192 random bits. */
function newPassword(): string {
  return randomBytes(24).toString('hex');
}

/**
 * The users' passwords for the broker kept in `dataDir`: read when kept there, otherwise generated
 * (only before the storage is formatted, since the format stores them in the metadata log).
 */
export function kafkaCredentials(dataDir: string, users: readonly string[], storageFormatted: boolean): KafkaCredentials {
  const file = join(dataDir, KAFKA_CREDENTIALS_FILE);
  if (existsSync(file)) {
    const passwords = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const missing = users.filter((u) => typeof passwords[u] !== 'string');
    if (missing.length > 0) {
      throw new InfraError(
        `${file} has no password for ${missing.join(', ')}: its users were fixed when ${dataDir} was formatted; remove ${dataDir} to start afresh`,
      );
    }
    return { file, passwords };
  }
  if (storageFormatted) {
    throw new InfraError(`Kafka's storage in ${dataDir} was formatted without the secured mode's users: remove ${dataDir} to start it secured`);
  }
  const passwords = Object.fromEntries(users.map((u) => [u, newPassword()]));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  return { file, passwords };
}

/**
 * A file holding `user`'s password alone (`passwords/<user>` beside the credentials file, mode
 * 0600), as a mounted secret would: what KAFKA_SASL_PASSWORD_FILE names, so the password is in no
 * process's environment.
 */
export function kafkaPasswordFile(credentials: KafkaCredentials, user: string): string {
  const password = credentials.passwords[user];
  if (password === undefined) throw new InfraError(`${credentials.file} has no Kafka password for ${user}`);
  const dir = join(dirname(credentials.file), 'passwords');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, user);
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}

/** The services' variables (service-kit's config) that connect as `user` to the broker these credentials belong to. */
export function kafkaSaslEnv(credentials: KafkaCredentials, user: string): Record<string, string> {
  return { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: user, KAFKA_SASL_PASSWORD_FILE: kafkaPasswordFile(credentials, user) };
}
