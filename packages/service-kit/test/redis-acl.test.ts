import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REDIS_SERVICES, redisUrlWithUser, SERVICE_REDIS_ACCESS, serviceAclUsers, serviceRedisCommands, type RedisService } from '@expo/schemas';
import { DedicatedRedis, testNames } from '@expo/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clusterSeeds,
  createRedisClient,
  expoKey,
  loadLuaDir,
  probeState,
  RebuildLease,
  ScriptRunner,
  stateKeys,
  whenReady,
  type LuaScripts,
  type RedisClient,
} from '../src/index.ts';

// Least privilege between services in one Redis (issue 21): a secured redis-server with each
// service's ACL user, the admin, and the default user off. Each service's user runs its own state
// lifecycle and Lua scripts on its own keys, and is refused every other service's keys.
const SERVICES_DIR = fileURLToPath(new URL('../../../services/', import.meta.url));
const KIT_LUA = loadLuaDir(fileURLToPath(new URL('../src/lua', import.meta.url)));
// Scripts a service runs from outside its src/lua: badge-scanning's zone lock (store/zone-lock.ts).
const INLINE_SCRIPTS: Partial<Record<RedisService, string>> = {
  'badge-scanning': readFileSync(join(SERVICES_DIR, 'badge-scanning/src/store/zone-lock.ts'), 'utf8'),
};

let redis: DedicatedRedis;
let admin: Redis;
const clients = new Map<RedisService, RedisClient>();
const { expoId } = testNames('sk-acl');

beforeAll(async () => {
  redis = await DedicatedRedis.start({ acl: { users: serviceAclUsers() } });
  admin = new Redis(redis.url);
  admin.on('error', () => undefined);
  for (const service of REDIS_SERVICES) {
    const serviceClient = createRedisClient({ url: redis.userUrl(service), commandTimeoutMs: 5000 });
    serviceClient.on('error', () => undefined); // while the restart below has it reconnect
    clients.set(service, serviceClient);
  }
}, 30_000);
afterAll(async () => {
  admin?.disconnect();
  for (const client of clients.values()) client.disconnect();
  await redis?.close();
});

const client = (service: RedisService) => clients.get(service) as RedisClient;
const serviceLua = (service: RedisService): LuaScripts => loadLuaDir(join(SERVICES_DIR, service, 'src/lua'));
const ownKey = (service: RedisService, ...parts: string[]) => expoKey(expoId, SERVICE_REDIS_ACCESS[service].segment, ...parts);

/** The commands a Lua source calls with `redis.call('X', …)` or `redis.pcall("X", …)`, lower case. */
function calledCommands(source: string): Set<string> {
  return new Set([...source.matchAll(/redis\.p?call\(\s*['"]([A-Za-z]+)['"]/g)].map((m) => m[1]!.toLowerCase()));
}

// Arguments for ACL DRYRUN where "the key, as often as the arity wants" is not a valid call.
const SPECIAL_ARGS: Readonly<Record<string, (key: string) => string[]>> = {
  eval: (key) => ['return 1', '1', key],
  evalsha: (key) => ['0'.repeat(40), '1', key],
  xread: (key) => ['STREAMS', key, '0'],
  select: () => ['0'],
  'cluster|slots': () => [],
};

/** Whether the server's ACL lets `user` run `command` with `key` (ACL DRYRUN: nothing is run). */
async function allowed(user: RedisService, command: string, key: string): Promise<boolean> {
  const [name, sub] = command.split('|') as [string, string?];
  let args = SPECIAL_ARGS[command]?.(key);
  if (!args) {
    const [[, arity, , firstKey]] = (await admin.call('COMMAND', 'INFO', name)) as [[string, number, string[], number]];
    args = Array.from({ length: Math.abs(arity) - 1 }, () => (firstKey > 0 ? key : '0'));
  }
  const reply = await admin.call('ACL', 'DRYRUN', user, name, ...(sub ? [sub] : []), ...args);
  return reply === 'OK';
}

describe('Redis ACL users per service', () => {
  it('refuses a connection without a user, the default user, and a wrong password', async () => {
    const anonymous = new Redis(redis.port, { lazyConnect: true, enableReadyCheck: false, retryStrategy: () => null });
    await anonymous.connect();
    await expect(anonymous.get(ownKey('registration', 'attendee', 'a-1'))).rejects.toThrow(/NOAUTH/);
    await expect(anonymous.auth('default', 'guess')).rejects.toThrow(/WRONGPASS/);
    await expect(anonymous.auth('registration', 'guess')).rejects.toThrow(/WRONGPASS/);
    anonymous.disconnect();
  });

  it('keeps the passwords in a file of the owner only, never in the aclfile or the log, and across a restart', async () => {
    const file = join(redis.dir, 'redis-passwords.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const passwords = Object.values(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
    expect(passwords).toHaveLength(REDIS_SERVICES.length + 1);
    const elsewhere = readFileSync(join(redis.dir, 'users.acl'), 'utf8') + readFileSync(join(redis.dir, 'redis.log'), 'utf8');
    for (const password of passwords) expect(elsewhere).not.toContain(password);

    const before = redis.userUrl('matchmaking');
    await redis.restart();
    expect(redis.userUrl('matchmaking')).toBe(before);
    // The clients reconnect by themselves, with the same password.
    expect(await whenReady(client('matchmaking'), 5000)).toBe(true);
    expect(await client('matchmaking').ping()).toBe('PONG');
  });

  describe.each(REDIS_SERVICES)('%s', (service) => {
    const others = REDIS_SERVICES.filter((s) => s !== service);

    it('runs its state lifecycle and its Lua scripts on its own keys, as the service does', async () => {
      const redisClient = client(service);
      expect(await whenReady(redisClient, 5000)).toBe(true);
      const keys = stateKeys(expoId, SERVICE_REDIS_ACCESS[service].segment);
      const judged = await probeState(redisClient, keys.marker);
      expect(judged.verdict).toMatchObject({ whole: false, loss: 'missing' });
      const lease = await RebuildLease.acquire(new ScriptRunner(redisClient, KIT_LUA), keys, 10_000, service, '');
      expect(lease).not.toBeNull();
      await lease?.checkpoint();
      await lease?.finish('epoch-1', judged.now);
      expect((await probeState(redisClient, keys.marker)).verdict).toEqual({ whole: true, epoch: 'epoch-1' });

      // Each script through the guarded runner, with as many keys of its own prefix as it reads:
      // placeholder arguments may make a script fail its own checks, never the ACL's.
      const sources = serviceLua(service);
      const scripts = new ScriptRunner(redisClient, sources, keys);
      for (const name of scripts.names) {
        const keyCount = Math.max(0, ...[...sources[name]!.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1])));
        const scriptKeys = Array.from({ length: keyCount }, (_, i) => ownKey(service, 'acl-test', name, String(i)));
        const outcome = await scripts
          .run(
            name,
            scriptKeys,
            Array.from({ length: 8 }, () => '1'),
          )
          .then(
            () => 'ran',
            (error: Error) => error.message,
          );
        expect(`${name}: ${outcome}`).not.toMatch(/NOPERM|no permissions|can't access|STATELOST/);
      }
    });

    it('may call every command of its scripts on its own keys, and nothing of another service', async () => {
      const sources = [...Object.values({ ...KIT_LUA, ...serviceLua(service) }), INLINE_SCRIPTS[service] ?? ''];
      const called = new Set(sources.flatMap((source) => [...calledCommands(source)]));
      expect(called.size).toBeGreaterThan(5);
      const refused: string[] = [];
      for (const command of [...called, ...serviceRedisCommands(service)]) {
        if (!(await allowed(service, command, ownKey(service, 'k')))) refused.push(command);
      }
      expect(refused).toEqual([]);

      const reached: string[] = [];
      for (const other of others) {
        const segment = SERVICE_REDIS_ACCESS[other].segment;
        for (const key of [expoKey(expoId, segment, 'k'), stateKeys(expoId, segment).marker]) {
          for (const command of ['get', 'set', 'del', 'hgetall', 'eval', 'evalsha', 'unlink']) {
            if (await allowed(service, command, key)) reached.push(`${command} ${key}`);
          }
        }
      }
      expect(reached).toEqual([]);
      // INFO is the one @dangerous command it is given (the ready check and the state probe).
      const dangerous = ((await admin.call('ACL', 'CAT', 'dangerous')) as string[]).map((c) => c.toLowerCase());
      expect(serviceRedisCommands(service).filter((c) => dangerous.includes(c))).toEqual(['info']);
    });

    it("gets NOPERM reading or writing another service's keys, its scripts too, and for commands it does not use", async () => {
      const redisClient = client(service);
      const otherKeys = stateKeys(expoId, SERVICE_REDIS_ACCESS[others[0]!].segment);
      const foreign = expoKey(expoId, SERVICE_REDIS_ACCESS[others[0]!].segment, 'attendee', 'a-1');
      await admin.set(foreign, 'theirs');
      await expect(redisClient.get(foreign)).rejects.toThrow(/NOPERM/);
      await expect(redisClient.set(foreign, 'mine')).rejects.toThrow(/NOPERM/);
      await expect(redisClient.del(otherKeys.marker)).rejects.toThrow(/NOPERM/);
      const lifecycle = new ScriptRunner(redisClient, KIT_LUA);
      await expect(lifecycle.run('state-release', [otherKeys.lease], ['t'])).rejects.toThrow(/NOPERM/);
      await expect(redisClient.call('FLUSHALL')).rejects.toThrow(/NOPERM/);
      await expect(redisClient.call('KEYS', '*')).rejects.toThrow(/NOPERM/);
      await expect(redisClient.call('CONFIG', 'GET', 'dir')).rejects.toThrow(/NOPERM/);
      expect(await admin.get(foreign)).toBe('theirs');
    });
  });

  it('badge-scanning cannot read a registration attendee (the example of issue 21)', async () => {
    const attendee = expoKey(expoId, 'reg', 'attendee', 'a-42');
    await admin.set(attendee, '{"name":"Li Wei"}');
    await expect(client('badge-scanning').get(attendee)).rejects.toThrow(/NOPERM/);
    expect(await client('registration').get(attendee)).toBe('{"name":"Li Wei"}');
  });

  it("lets each service's rate limiter (@fastify/rate-limit's Redis store: INCR, PEXPIRE, PTTL, GET) count under its own prefix", async () => {
    const stores = { registration: ownKey('registration', 'rate', 'x'), 'badge-scanning': ownKey('badge-scanning', 'ratelimit', 'device-1', 'scans') };
    for (const [service, key] of Object.entries(stores) as Array<[RedisService, string]>) {
      for (const command of ['incr', 'pexpire', 'pttl', 'get']) expect(await allowed(service, command, key), `${service} ${command} ${key}`).toBe(true);
    }
  });

  it("puts the user and password in REDIS_URL: one Redis, a cluster's seeds (userinfo before the first seed), TLS", () => {
    const single = redisUrlWithUser('redis://127.0.0.1:6380', 'badge-scanning', 'p:w@d');
    expect(single).toBe('redis://badge-scanning:p%3Aw%40d@127.0.0.1:6380');
    const cluster = redisUrlWithUser('rediss://10.0.0.1:7000,10.0.0.2:7001', 'analytics', 'a:b');
    expect(cluster).toBe('rediss://analytics:a%3Ab@10.0.0.1:7000,10.0.0.2:7001');
    expect(clusterSeeds(cluster)).toMatchObject({ username: 'analytics', password: 'a:b', tls: true });
    expect(clusterSeeds('redis://u:x:y@h1:1,h2:2')).toMatchObject({ username: 'u', password: 'x:y' });
  });
});
