import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitForBroker } from './admin.ts';
import { InfraError, PortLostError } from '../errors.ts';
import { INFRA_DIR } from '../paths.ts';
import { choosePort, freePort, restartOnLostPort } from '../ports.ts';
import { logTail, spawnGuarded, stopProcess } from '../process.ts';
import { requireJava } from '../java.ts';
import { ensureKafkaJars } from './jars.ts';
import { serverProperties } from './server-properties.ts';
import { KAFKA_VERSION } from './version.ts';

export interface KafkaOptions {
  /** Holds server.properties, the log segments and kafka.log; kept between runs for `pnpm dev`. */
  readonly dataDir: string;
  /** A port that must be used (fails with a message if taken). */
  readonly port?: number;
  /** A port used when free, else any free one. */
  readonly preferredPort?: number;
  /**
   * The port clients are told to connect to after bootstrapping, for a TCP proxy in front of the
   * broker (the chaos suite's latency and dropped connections); it must already forward to `port`.
   */
  readonly advertisedPort?: number;
  readonly ownerPid: number;
  readonly startTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (line: string) => void;
}

export interface RunningKafka {
  readonly brokers: string;
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
}

/** A Kafka cluster id: 16 random bytes, unpadded base64url, as `kafka-storage.sh random-uuid` prints. */
function clusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function formatStorage(java: string, libDir: string, propsFile: string, logDir: string, logFile: string): void {
  if (existsSync(join(logDir, 'meta.properties'))) return;
  const result = spawnSync(
    java,
    ['-cp', join(libDir, '*'), 'kafka.tools.StorageTool', 'format', '-t', clusterId(), '-c', propsFile, '--ignore-formatted'],
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    writeFileSync(logFile, `${result.stdout}\n${result.stderr}`, { flag: 'a' });
    throw new InfraError(`Formatting Kafka storage in ${logDir} failed:\n${logTail(logFile)}`);
  }
}

/** The cluster id the storage in `logDir` was formatted with. */
function formattedClusterId(logDir: string): string | undefined {
  return /^cluster\.id=(.+)$/m.exec(readFileSync(join(logDir, 'meta.properties'), 'utf8'))?.[1]?.trim();
}

/** A port chosen free was bound by another process before the broker could bind it. */
function lostPort(logFile: string): boolean {
  return /BindException|Address already in use/.test(logTail(logFile, 200));
}

/**
 * Starts Apache Kafka (KRaft, broker and controller in one JVM) from the Maven Central jars and
 * resolves once it answers metadata requests with its own cluster id. If it exits or is not up
 * within the timeout, it is stopped and the error carries the tail of its log. Ports it chose
 * itself can be taken by another process between the choice and the JVM binding them (several
 * test projects start brokers at once): then it starts again on new ports, up to three times.
 */
export async function startKafka(options: KafkaOptions): Promise<RunningKafka> {
  return restartOnLostPort('Kafka', options.port, () => startKafkaOnce(options), options.log);
}

async function startKafkaOnce(options: KafkaOptions): Promise<RunningKafka> {
  const env = options.env ?? process.env;
  const { executable } = requireJava(env);
  const libDir = ensureKafkaJars({ env, log: options.log });
  const port = await choosePort('Kafka', options.port, options.preferredPort);
  const controllerPort = await freePort([port]);
  const logDir = join(options.dataDir, 'kraft-logs');
  mkdirSync(logDir, { recursive: true });
  const propsFile = join(options.dataDir, 'server.properties');
  const logFile = join(options.dataDir, 'kafka.log');
  writeFileSync(propsFile, serverProperties({ port, controllerPort, logDir, advertisedPort: options.advertisedPort }));
  formatStorage(executable, libDir, propsFile, logDir, logFile);

  options.log?.(`Starting Apache Kafka ${KAFKA_VERSION} on 127.0.0.1:${port} (log: ${logFile})`);
  const jvm = [
    '-Xms256m',
    '-Xmx1g',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(INFRA_DIR, 'kafka', 'log4j2.properties')}`,
  ];
  const child = spawnGuarded(executable, [...jvm, '-cp', join(libDir, '*'), 'kafka.Kafka', propsFile], {
    logFile,
    ownerPid: options.ownerPid,
    env,
  });
  const brokers = `127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const exitedEarly = child.exited.then((code) => {
    const message = `Kafka exited during start-up (code ${code}). Last lines of ${logFile}:\n${logTail(logFile)}`;
    throw lostPort(logFile) ? new PortLostError(message) : new InfraError(message);
  });
  try {
    await Promise.race([waitForBroker(brokers, timeoutMs, formattedClusterId(logDir)), exitedEarly]);
  } catch (error) {
    await stopProcess(child.pid);
    if (error instanceof InfraError) throw error;
    throw new InfraError(`Kafka did not come up within ${timeoutMs / 1000} s. Last lines of ${logFile}:\n${logTail(logFile)}`);
  }
  exitedEarly.catch(() => undefined);
  return { brokers, pid: child.pid, logFile, stop: () => stopProcess(child.pid) };
}
