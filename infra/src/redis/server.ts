import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { InfraError, PortLostError } from '../errors.ts';
import { choosePort, restartOnLostPort } from '../ports.ts';
import { logTail, spawnGuarded, stopProcess } from '../process.ts';
import { localRedisUrl, redisAclFile, REDIS_ADMIN_USER, REDIS_PASSWORDS_FILE, writeRedisAcl, type RedisAclOptions } from './acl.ts';
import { redisCommand, type RedisAuth, type RedisCommandTls } from './command.ts';

export interface RedisOptions {
  readonly dataDir: string;
  readonly port?: number;
  readonly preferredPort?: number;
  readonly ownerPid: number;
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** More redis-server arguments, given the port it is about to listen on (a cluster node's). */
  readonly extraArgs?: (port: number) => Promise<readonly string[]>;
  /**
   * Secured: the users and their rules (see RedisAclOptions), an `admin` with every right, the
   * default user off. Passwords are random, kept in the data folder (REDIS_PASSWORDS_FILE) across
   * restarts, and never logged. Not for a cluster's nodes (yet).
   */
  readonly acl?: RedisAclOptions;
  /**
   * TLS only: the port takes TLS connections (plain TCP is off) with this certificate; clients are
   * not asked for one of their own. The URLs are then `rediss://…`, and a client must trust
   * `caFile` (service-kit's REDIS_TLS_CA_FILE). Not for a cluster's nodes.
   */
  readonly tls?: RedisTls;
}

/** The files of a TLS-only redis-server (RedisOptions.tls), all PEM. */
export interface RedisTls {
  /** The server's certificate, valid for 127.0.0.1. */
  readonly certFile: string;
  readonly keyFile: string;
  /** The authority that signed it. */
  readonly caFile: string;
}

/** redis-server's arguments that turn plain TCP off and listen with TLS on `port`. */
function tlsArgs(port: number, tls: RedisTls): string[] {
  return [
    '--port',
    '0',
    '--tls-port',
    String(port),
    '--tls-cert-file',
    tls.certFile,
    '--tls-key-file',
    tls.keyFile,
    '--tls-ca-cert-file',
    tls.caFile,
    '--tls-auth-clients',
    'no',
  ];
}

export interface RunningRedis {
  /** Secured (`acl`), the admin's `redis://admin:password@…`: keep it out of logs. */
  readonly url: string;
  /** Secured, each user's URL (the admin's too), by user name; empty otherwise. */
  readonly userUrls: Readonly<Record<string, string>>;
  readonly port: number;
  /** PID of the guard that runs redis-server; INFO's `process_id` is the server's own. */
  readonly pid: number;
  /** Settles when redis-server has ended, whether stopped or killed. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Whether the redis-server on `port` is the one started in `dir` (its working directory), not
 * another that took the port.
 */
async function answersFrom(port: number, dir: string, auth?: RedisAuth, tls?: RedisCommandTls): Promise<boolean> {
  const reply = await redisCommand(port, ['CONFIG', 'GET', 'dir'], 500, auth, tls).catch(() => null);
  return Array.isArray(reply) && reply[1] === dir;
}

/**
 * Starts `redis-server` (Debian's package) on loopback with nothing persisted to disk. A port it
 * chose itself can be taken by another process before redis-server binds it; then it starts again
 * on another port, up to three times.
 */
export async function startRedis(options: RedisOptions): Promise<RunningRedis> {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new InfraError('redis-server was not found. Install it (`apt-get install redis-server`), or set REDIS_URL to an existing Redis.');
  }
  return restartOnLostPort('Redis', options.port, () => startRedisOnce(options), options.log);
}

/** The running server; PortLostError when another process took its port first. */
async function startRedisOnce(options: RedisOptions): Promise<RunningRedis> {
  const port = await choosePort('Redis', options.port, options.preferredPort);
  mkdirSync(options.dataDir, { recursive: true });
  const dir = realpathSync(options.dataDir);
  const logFile = join(options.dataDir, 'redis.log');
  const extraArgs = (await options.extraArgs?.(port)) ?? [];
  const secrets = options.acl ? writeRedisAcl(dir, options.acl) : {};
  const aclArgs = options.acl ? ['--aclfile', redisAclFile(dir)] : [];
  const admin = secrets[REDIS_ADMIN_USER];
  const auth = admin === undefined ? undefined : { username: REDIS_ADMIN_USER, password: admin };
  const listen = options.tls ? tlsArgs(port, options.tls) : ['--port', String(port)];
  const args = [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...aclArgs];
  args.push(...extraArgs);
  const tls = options.tls ? { ca: readFileSync(options.tls.caFile, 'utf8') } : undefined;
  const child = spawnGuarded('redis-server', args, { logFile, ownerPid: options.ownerPid });
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  // Asked once more after the deadline: a synchronous step elsewhere in this process (Maven
  // fetching Kafka's jars, formatting the broker's storage) can hold the event loop past it.
  for (;;) {
    if (await answersFrom(port, dir, auth, tls)) {
      options.log?.(`Redis on 127.0.0.1:${port} (${tls ? 'TLS only; ' : ''}nothing persisted${auth ? `; ACL users in ${REDIS_PASSWORDS_FILE}` : ''})`);
      const userUrls = Object.fromEntries(Object.entries(secrets).map(([user, secret]) => [user, localRedisUrl(port, user, secret, tls !== undefined)]));
      const url = userUrls[REDIS_ADMIN_USER] ?? `${tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`;
      return { url, userUrls, port, pid: child.pid, exited: child.exited, stop: () => stopProcess(child.pid) };
    }
    if (exited || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await stopProcess(child.pid);
  const message = `redis-server did not answer on port ${port}. Last lines of ${logFile}:\n${logTail(logFile)}`;
  throw /Address already in use/.test(logTail(logFile)) ? new PortLostError(message) : new InfraError(message);
}
