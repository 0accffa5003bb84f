/**
 * Least privilege between services in one Redis: each service's connection may touch only its own
 * keys (`{<expo>}:<segment>:…` and its state lifecycle's `{<expo>}:lifecycle:<segment>:…`) with only
 * the commands it issues. The rules are Redis ACL rules (ACL SETUSER, or a line of an aclfile)
 * without the user's `on` and password, which whoever creates the users adds.
 *
 * A command missing here is refused with NOPERM where the service issues it: a new `redis.call`
 * in a Lua script or a new store method adds its command here (packages/service-kit/test/redis-acl.test.ts checks every
 * `redis.call` of the scripts against the live server's ACL).
 */

/** What every service's connection issues, whatever the service. */
const EVERY_SERVICE = [
  // ioredis: the ready check (INFO, for `loading`), SELECT for a database in the URL, QUIT on
  // close; on a cluster CLUSTER SLOTS for the slot map, ASKING on an ASK redirection (a slot being
  // migrated) and READONLY/READWRITE when a node changes role. AUTH is always allowed.
  'info',
  'select',
  'quit',
  'ping',
  'cluster|slots',
  'asking',
  'readonly',
  'readwrite',
  // ScriptRunner (redis-scripts.ts): EVALSHA, and EVAL once after Redis lost its script cache.
  'evalsha',
  'eval',
  // The state lifecycle: the guard prelude of every script (EXISTS, GET), the probe (state-probe.ts:
  // HMGET and INFO for run_id and evicted_keys), the state-*.lua scripts, EXISTS per request, DEL
  // by the rebuild command.
  'exists',
  'get',
  'hget',
  'hmget',
  'hset',
  'set',
  'del',
  'pexpire',
] as const;

export interface ServiceRedisAccess {
  /** What the service passes to expoKey/expoKeys/stateKeys: `{<expo>}:<segment>:…`. */
  readonly segment: string;
  /** Commands its Lua scripts (src/lua) call, lower case. */
  readonly scripts: readonly string[];
  /** Commands its stores, use cases and plugins send themselves (a MULTI counts MULTI, EXEC, DISCARD). */
  readonly direct: readonly string[];
}

/** Each service's Redis access: the one table, everything else derived from it. */
export const SERVICE_REDIS_ACCESS = {
  registration: {
    segment: 'reg',
    scripts: [
      'del',
      'exists',
      'get',
      'hexists',
      'hget',
      'hset',
      'set',
      'time',
      'zadd',
      'zrem',
      // @fastify/rate-limit's Redis store (keys `{<expo>}:reg:rate:…`)
      'incr',
      'pexpire',
      'pttl',
    ],
    // SCAN: the rebuild clears entity keys by pattern (scanKeys in redis-client.ts).
    direct: ['del', 'get', 'hget', 'set', 'time', 'unlink', 'scan', 'zcard', 'zrange', 'zrangebyscore', 'zrem'],
  },
  'badge-scanning': {
    segment: 'scan',
    scripts: [
      'del',
      'exists',
      'expire',
      'get',
      'hdel',
      'hget',
      'hincrby',
      'hmget',
      'hscan',
      'hset',
      'incr',
      'sadd',
      'sismember',
      'time',
      'zadd',
      'zrem',
      'zscore',
      // @fastify/rate-limit's Redis store (keys `{<expo>}:scan:ratelimit:…`)
      'pexpire',
      'pttl',
    ],
    direct: [
      'del',
      'exists',
      'get',
      'hdel',
      'hexists',
      'hget',
      'hgetall',
      'hmget',
      'hset',
      'set',
      'sismember',
      'time',
      'unlink',
      'zcard',
      'zrangebyscore',
      'zrem',
      'multi',
      'exec',
      'discard',
    ],
  },
  matchmaking: {
    segment: 'mm',
    scripts: ['decr', 'del', 'get', 'hget', 'incr', 'sadd', 'set', 'smembers', 'srem', 'zadd', 'zrem', 'zrevrangebyscore'],
    // XREAD (blocking, on a connection of its own) and XADD, XREVRANGE: the changes feed.
    direct: [
      'del',
      'exists',
      'get',
      'hdel',
      'hexists',
      'hget',
      'hgetall',
      'hset',
      'hvals',
      'incr',
      'mget',
      'sadd',
      'set',
      'smembers',
      'unlink',
      'xadd',
      'xread',
      'xrevrange',
      'zadd',
      'zcard',
      'zrange',
      'zrangebyscore',
      'zrem',
      'multi',
      'exec',
      'discard',
    ],
  },
  analytics: {
    segment: 'analytics',
    scripts: ['expire', 'hdel', 'hget', 'hgetall', 'hincrby', 'hset', 'pfadd', 'sadd', 'sismember', 'zadd', 'zrangebyscore', 'zrem'],
    // SCAN: a refold clears the expo's keys by pattern (scanKeys in redis-client.ts).
    direct: ['hgetall', 'hmget', 'pfcount', 'scard', 'smembers', 'unlink', 'scan', 'zadd'],
  },
} as const satisfies Readonly<Record<string, ServiceRedisAccess>>;

export type RedisService = keyof typeof SERVICE_REDIS_ACCESS;

export const REDIS_SERVICES = Object.keys(SERVICE_REDIS_ACCESS) as RedisService[];

/** Every command the service's connection may send, sorted, lower case (subcommands as `cmd|sub`). */
export function serviceRedisCommands(service: RedisService): string[] {
  const access: ServiceRedisAccess = SERVICE_REDIS_ACCESS[service];
  return [...new Set([...EVERY_SERVICE, ...access.scripts, ...access.direct])].sort();
}

// Redis glob patterns treat these as special; an expo id is matched literally.
const globEscape = (value: string) => value.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

export interface RedisAclRuleOptions {
  /** Limits the user to one expo's keys; by default every expo's (`{*}`). */
  readonly expoId?: string;
}

/**
 * The service's ACL rules: its two key patterns, no Pub/Sub channel, no command but its own. INFO
 * is the only @dangerous command among them (the ready check and the state probe read it). A
 * key pattern `{*}` cannot reach into another service's keys, since no key part holds a brace
 * (redis-keys.ts).
 *
 * serviceAclRules('badge-scanning') →
 *   ['resetkeys', '~{*}:scan:*', '~{*}:lifecycle:scan:*', 'resetchannels', '-@all', '+asking', …]
 */
export function serviceAclRules(service: RedisService, options: RedisAclRuleOptions = {}): string[] {
  const { segment } = SERVICE_REDIS_ACCESS[service];
  const expo = options.expoId === undefined ? '*' : globEscape(options.expoId);
  return [
    'resetkeys',
    `~{${expo}}:${segment}:*`,
    `~{${expo}}:lifecycle:${segment}:*`,
    'resetchannels',
    '-@all',
    ...serviceRedisCommands(service).map((command) => `+${command}`),
  ];
}

/** The rules of every service's user, by service name (the user's name): what a secured Redis is given. */
export function serviceAclUsers(options: RedisAclRuleOptions = {}): Record<RedisService, string[]> {
  const users = REDIS_SERVICES.map((service) => [service, serviceAclRules(service, options)]);
  return Object.fromEntries(users) as Record<RedisService, string[]>;
}

/** `redis://user:password@host:port` (or `rediss://`, a cluster's seeds) from a URL without credentials. */
export function redisUrlWithUser(url: string, user: string, password: string): string {
  const match = /^(rediss?:\/\/)(?:[^@/]*@)?(.*)$/.exec(url);
  if (!match) throw new Error('REDIS_URL must start with redis:// or rediss://');
  return `${match[1]}${encodeURIComponent(user)}:${encodeURIComponent(password)}@${match[2]}`;
}
