import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DevSecrets {
  readonly adminToken: string;
  readonly opsToken: string;
}

/**
 * Development credentials for `pnpm dev`, made once per data folder and kept there (git-ignored),
 * so they stay the same across runs and no secret is ever committed.
 */
export function devSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-tokens.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets = { adminToken: `dev-admin-${randomBytes(12).toString('hex')}`, opsToken: `dev-ops-${randomBytes(12).toString('hex')}` };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** What every service started by `pnpm dev` gets besides KAFKA_BROKERS and REDIS_URL. */
export function devServiceEnv(dataDir: string, secrets: DevSecrets): NodeJS.ProcessEnv {
  return {
    ADMIN_TOKENS: secrets.adminToken,
    OPS_TOKENS: secrets.opsToken,
    BADGE_SIGNING_KEYS_FILE: join(dataDir, 'badge-signing-keys.json'),
  };
}
