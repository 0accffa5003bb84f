import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';

/** A connection to one Redis, or to a Redis Cluster: every store and script takes either. */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /**
   * `redis://[user:password@]host:port[/db]` for one Redis (`rediss://` for TLS), or several
   * `host:port` seed nodes separated by commas for a Redis Cluster:
   * `redis://[user:password@]10.0.0.1:7000,10.0.0.2:7000,10.0.0.3:7000`. The credentials (and TLS)
   * apply to every node; a cluster has no database number.
   */
  readonly url: string;
  /**
   * With a `rediss://` URL: the PEM certificate authority Redis's certificate is checked against,
   * instead of the system's (REDIS_TLS_CA_FILE).
   */
  readonly tlsCa?: string;
  /** Bound on one command; a stalled Redis fails the request instead of hanging it. Default 1 s. */
  readonly commandTimeoutMs?: number;
  /** Commands issued in one event-loop tick sent as one write (ioredis auto-pipelining). */
  readonly autoPipelining?: boolean;
  readonly connectTimeoutMs?: number;
}

/** Where a Redis is and how to trust its TLS: what the config gives (redisConnectionFrom). */
export type RedisConnection = Pick<RedisClientOptions, 'url' | 'tlsCa'>;

/** The seed nodes of a cluster URL, or null when the URL names one Redis. */
export function clusterSeeds(url: string): { nodes: ClusterNode[]; username?: string; password?: string; tls: boolean } | null {
  const match = /^(rediss?):\/\/(?:([^@/]*)@)?([^/?#]+)/.exec(url);
  if (!match) return null;
  const [, scheme, auth, hosts] = match;
  const list = hosts!.split(',');
  if (list.length < 2) return null;
  const nodes = list.map((hostPort) => {
    const at = hostPort.lastIndexOf(':');
    const port = Number(hostPort.slice(at + 1));
    if (at < 1 || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`REDIS_URL: "${hostPort}" is not host:port`);
    return { host: hostPort.slice(0, at), port };
  });
  // The userinfo before the first seed is every node's: `user:password`, split at its first colon
  // (a password may hold more), each part percent-decoded as in a single Redis's URL.
  const colon = auth ? auth.indexOf(':') : -1;
  const parts = !auth ? [] : colon < 0 ? [auth] : [auth.slice(0, colon), auth.slice(colon + 1)];
  const [user, password] = parts.map(decodeURIComponent);
  return { nodes, ...(user ? { username: user } : {}), ...(password ? { password } : {}), tls: scheme === 'rediss' };
}

// Keep reconnecting, at most 2 s apart, so the service recovers by itself when Redis returns.
const reconnectDelay = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000);

/**
 * Fail fast, never replay: with no offline queue a command while disconnected fails at once (503)
 * instead of waiting for a reconnect, and a command cut off by a dropped connection is not resent
 * later, so nothing the caller was told failed gets applied behind its back. A cluster client
 * follows MOVED/ASK redirections and a failover's new primary within the same command.
 */
export function createRedisClient(options: RedisClientOptions): RedisClient {
  const perConnection: RedisOptions = {
    enableOfflineQueue: false,
    commandTimeout: options.commandTimeoutMs ?? 1000,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: reconnectDelay,
  };
  const seeds = clusterSeeds(options.url);
  // ioredis turns TLS on for `rediss://` by itself; the authority, when given, replaces the system's.
  const tls = options.tlsCa === undefined ? {} : { ca: [options.tlsCa] };
  if (!seeds) {
    const ownCa = options.tlsCa !== undefined && /^rediss:/i.test(options.url) ? { tls } : {};
    return new Redis(options.url, { ...perConnection, ...ownCa, enableAutoPipelining: options.autoPipelining ?? false });
  }
  return new Cluster(seeds.nodes, {
    enableOfflineQueue: false,
    enableAutoPipelining: options.autoPipelining ?? false,
    clusterRetryStrategy: reconnectDelay,
    // A failover moves a slot within the cluster's node timeout: a command waits that long at most.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    redisOptions: {
      ...perConnection,
      ...(seeds.username ? { username: seeds.username } : {}),
      ...(seeds.password ? { password: seeds.password } : {}),
      ...(seeds.tls ? { tls } : {}),
    },
  });
}

/** Another connection to the same Redis or cluster, whose commands may wait up to `ms`. */
export function withCommandTimeout(redis: RedisClient, ms: number): RedisClient {
  if (redis instanceof Cluster) return redis.duplicate([], { redisOptions: { ...redis.options.redisOptions, commandTimeout: ms } });
  return redis.duplicate({ commandTimeout: ms });
}

/** Whether the connection is ready for commands, or becomes so within `waitMs`. */
export async function whenReady(redis: RedisClient, waitMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  let onReady: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    onReady = resolve;
    timer = setTimeout(resolve, waitMs);
    redis.once('ready', onReady);
  });
  clearTimeout(timer);
  if (onReady) redis.off('ready', onReady);
  return (redis.status as string) === 'ready'; // narrowed by the first check, changed since
}

/** Every primary of a cluster, or the one Redis: for what must see all keys (SCAN). */
export function primaries(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/**
 * Calls `onKeys` with the keys matching `pattern`, a batch at a time, on every primary (an expo's
 * keys share one hash slot, so on a cluster they are all on one of them).
 */
export async function scanKeys(redis: RedisClient, pattern: string, onKeys: (keys: string[]) => Promise<void>, count = 1000): Promise<void> {
  for (const node of primaries(redis)) {
    for (let cursor = '0'; ;) {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      if (keys.length > 0) await onKeys(keys);
      cursor = next;
      if (cursor === '0') break;
    }
  }
}
