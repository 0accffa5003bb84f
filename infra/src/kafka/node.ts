import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InfraError, PortLostError } from '../errors.ts';
import { requireJava } from '../java.ts';
import { INFRA_DIR } from '../paths.ts';
import { logTail, spawnGuarded, stopProcess, type GuardedProcess } from '../process.ts';
import { ensureKafkaJars } from './jars.ts';
import { serverProperties, type BrokerLayout } from './server-properties.ts';

/** What starting Kafka takes, one broker or a cluster alike. */
export interface KafkaStartOptions {
  /** Started processes end when this process is gone; 0 for none (a detached `infra:up`). */
  readonly ownerPid: number;
  readonly startTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

/** One Kafka process's files: its configuration, its log segments and its output. */
export interface NodeFiles {
  readonly propsFile: string;
  readonly logDir: string;
  readonly logFile: string;
}

/** Java and Kafka's jars, found (and fetched once) before any node starts. */
export interface KafkaRuntime {
  readonly java: string;
  readonly libDir: string;
}

/** Heap sizes: one broker alone may take more than each of three sharing the same cores. */
export interface Heap {
  readonly initial: string;
  readonly max: string;
}

export function kafkaRuntime(env: NodeJS.ProcessEnv, log?: (line: string) => void): KafkaRuntime {
  return { java: requireJava(env).executable, libDir: ensureKafkaJars({ env, log }) };
}

/** Where a node kept in `dir` has its files. */
export function nodeFilesIn(dir: string): NodeFiles {
  return { propsFile: join(dir, 'server.properties'), logDir: join(dir, 'kraft-logs'), logFile: join(dir, 'kafka.log') };
}

/** The files of a node kept in `dir`, with its server.properties written for `layout`. */
export function writeNodeFiles(dir: string, layout: Omit<BrokerLayout, 'logDir'>): NodeFiles {
  const files = nodeFilesIn(dir);
  mkdirSync(files.logDir, { recursive: true });
  // In the secured mode it holds the super user's password: readable by its owner only.
  writeFileSync(files.propsFile, serverProperties({ ...layout, logDir: files.logDir }), { mode: 0o600 });
  return files;
}

/** A Kafka cluster id: 16 random bytes, unpadded base64url, as `kafka-storage.sh random-uuid` prints. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** The cluster id the storage in `logDir` was formatted with (undefined when not formatted yet). */
export function formattedClusterId(logDir: string): string | undefined {
  const meta = join(logDir, 'meta.properties');
  if (!existsSync(meta)) return undefined;
  return /^cluster\.id=(.+)$/m.exec(readFileSync(meta, 'utf8'))?.[1]?.trim();
}

/** A SCRAM-SHA-512 user stored in the metadata log when the storage is formatted. */
export interface ScramUser {
  readonly name: string;
  readonly password: string;
}

/**
 * Formats the node's storage for `clusterId`, unless it already is formatted (kept between runs).
 * `scramUsers` are written into the log's bootstrap records (KIP-900): the secured mode's users
 * exist before the broker first starts, its own connections included.
 */
export async function formatStorage(runtime: KafkaRuntime, files: NodeFiles, clusterId: string, scramUsers: readonly ScramUser[] = []): Promise<void> {
  if (existsSync(join(files.logDir, 'meta.properties'))) return;
  const tool = ['-cp', join(runtime.libDir, '*'), 'kafka.tools.StorageTool'];
  const scram = scramUsers.flatMap((u) => ['--add-scram', `SCRAM-SHA-512=[name=${u.name},password=${u.password}]`]);
  const args = [...tool, 'format', '-t', clusterId, '-c', files.propsFile, '--ignore-formatted', ...scram];
  try {
    await promisify(execFile)(runtime.java, args, { encoding: 'utf8' });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    // A failed command's error names its arguments, the SCRAM passwords among them.
    const hidden = (text: string) => scramUsers.reduce((t, u) => t.split(u.password).join('<hidden>'), text);
    writeFileSync(files.logFile, hidden(`${stdout ?? ''}\n${stderr ?? String(error)}`), { flag: 'a' });
    throw new InfraError(`Formatting Kafka storage in ${files.logDir} failed:\n${logTail(files.logFile)}`);
  }
}

/** Starts `kafka.Kafka` on the node's server.properties under a guard owned by `ownerPid`. */
export function spawnKafkaNode(
  runtime: KafkaRuntime,
  files: NodeFiles,
  options: { readonly ownerPid: number; readonly env: NodeJS.ProcessEnv; readonly heap: Heap },
): GuardedProcess {
  const jvm = [
    `-Xms${options.heap.initial}`,
    `-Xmx${options.heap.max}`,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(INFRA_DIR, 'kafka', 'log4j2.properties')}`,
  ];
  return spawnGuarded(runtime.java, [...jvm, '-cp', join(runtime.libDir, '*'), 'kafka.Kafka', files.propsFile], {
    logFile: files.logFile,
    ownerPid: options.ownerPid,
    env: options.env,
  });
}

/** A port chosen free was bound by another process before the broker could bind it. */
function lostPort(logFile: string): boolean {
  return /BindException|Address already in use/.test(logTail(logFile, 200));
}

/**
 * Resolves once `ready` does. If the process exits first, or `ready` fails (its own time limit),
 * the process is stopped and the error carries the tail of its log; an exit because a port was
 * taken is a PortLostError, so the caller can start again on other ports.
 */
export async function awaitNode(what: string, child: GuardedProcess, logFile: string, ready: Promise<void>, timeoutMs: number): Promise<void> {
  const exitedEarly = child.exited.then((code) => {
    const message = `${what} exited during start-up (code ${code}). Last lines of ${logFile}:\n${logTail(logFile)}`;
    throw lostPort(logFile) ? new PortLostError(message) : new InfraError(message);
  });
  try {
    await Promise.race([ready, exitedEarly]);
  } catch (error) {
    await stopProcess(child.pid);
    if (error instanceof InfraError) throw error;
    throw new InfraError(`${what} did not come up within ${timeoutMs / 1000} s. Last lines of ${logFile}:\n${logTail(logFile)}`);
  } finally {
    exitedEarly.catch(() => undefined);
  }
}
