import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError } from '../errors.ts';

/**
 * A secured redis-server: one ACL user per entry of `users` (e.g. each service's, from
 * @expo/schemas' serviceAclUsers), an `admin` user with every right (provisioning, tests, operators'
 * commands), and the default user off, so a connection without a user and password is refused.
 */
export interface RedisAclOptions {
  /** Each user's rules beyond `on` and its password: key patterns, channels, commands. */
  readonly users: Readonly<Record<string, readonly string[]>>;
}

export const REDIS_ADMIN_USER = 'admin';

/** Where the passwords are kept, in the Redis's data folder, readable by its owner only. */
export const REDIS_PASSWORDS_FILE = 'redis-passwords.json';
const ACL_FILE = 'users.acl';

const USER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

// A rule may not set a password, enable or reset the user (those are this module's), nor break
// the aclfile's line.
function checkRule(user: string, rule: string): string {
  if (!rule || /\s/.test(rule) || /^[<>#!]/.test(rule) || /^(on|off|nopass|resetpass|reset)$/i.test(rule)) {
    throw new InfraError(`Redis ACL rule "${rule}" of user ${user} is not allowed (passwords and on/off are set by infra)`);
  }
  return rule;
}

/**
 * The passwords of `users` and of the admin: those already in the data folder's passwords file
 * (a restart keeps them, so clients' URLs stay valid), new random ones for the others.
 */
function passwords(dataDir: string, users: readonly string[]): Record<string, string> {
  const file = join(dataDir, REDIS_PASSWORDS_FILE);
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const fresh = () => randomBytes(32).toString('hex');
  const all = Object.fromEntries([REDIS_ADMIN_USER, ...users].map((user) => [user, kept[user] ?? fresh()]));
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return all;
}

/**
 * Writes the aclfile redis-server is started with (`--aclfile`), holding each password as its
 * SHA-256 only, and answers each user's password. Nothing here is logged.
 */
export function writeRedisAcl(dataDir: string, options: RedisAclOptions): Record<string, string> {
  const names = Object.keys(options.users);
  for (const name of names) {
    if (!USER_NAME.test(name) || name === REDIS_ADMIN_USER || name === 'default') {
      throw new InfraError(`"${name}" cannot name a Redis ACL user (letters, digits, _ . -; not admin or default)`);
    }
  }
  const secrets = passwords(dataDir, names);
  const hash = (user: string) =>
    `#${createHash('sha256')
      .update(secrets[user] ?? '')
      .digest('hex')}`;
  const lines = [
    'user default off resetpass resetkeys resetchannels -@all',
    `user ${REDIS_ADMIN_USER} on ${hash(REDIS_ADMIN_USER)} ~* &* +@all`,
    ...names.map((name) => {
      const rules = (options.users[name] ?? []).map((rule) => checkRule(name, rule));
      return `user ${name} on ${hash(name)} ${rules.join(' ')}`;
    }),
  ];
  writeFileSync(join(dataDir, ACL_FILE), `${lines.join('\n')}\n`, { mode: 0o600 });
  return secrets;
}

export function redisAclFile(dataDir: string): string {
  return join(dataDir, ACL_FILE);
}

/** `redis://user:password@127.0.0.1:port` (`rediss://` with `tls`). */
export function localRedisUrl(port: number, user: string, password: string, tls = false): string {
  return `${tls ? 'rediss' : 'redis'}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
}
