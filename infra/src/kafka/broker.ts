import { readFileSync } from 'node:fs';
import { DOWNSTREAM_USER, KAFKA_ADMIN_USER, kafkaAcls, SERVICE_NAMES } from '@expo/schemas';
import type { KafkaConfig } from 'kafkajs';
import { applyAcls, waitForBroker } from './admin.ts';
import { createKafka } from './client.ts';
import { kafkaCredentials, type KafkaCredentials } from './credentials.ts';
import { choosePort, freePort, restartOnLostPort } from '../ports.ts';
import { stopProcess } from '../process.ts';
import {
  awaitNode,
  formatStorage,
  formattedClusterId,
  kafkaRuntime,
  newClusterId,
  nodeFilesIn,
  spawnKafkaNode,
  writeNodeFiles,
  type Heap,
  type KafkaStartOptions,
} from './node.ts';
import { clientListener, type BrokerTls } from './server-properties.ts';
import { KAFKA_VERSION } from './version.ts';

const SINGLE_BROKER_HEAP: Heap = { initial: '256m', max: '1g' };

export interface KafkaOptions extends KafkaStartOptions {
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
  /**
   * The secured mode: SASL/SCRAM-SHA-512 on the client listener, ACLs derived from the topic table
   * (packages/schemas/src/kafka-acls.ts) created once the broker is up, everything else denied.
   * Users: `admin` (super user), one per service, `downstream`; their passwords are generated once
   * per data dir and kept in it (credentials.ts).
   */
  readonly secured?: {
    /** The deployment's `TOPIC_PREFIX`: the ACLs name the prefixed topics. */
    readonly topicPrefix?: string;
  };
  /**
   * TLS on the client listener (SASL_SSL with `secured`, else SSL), with this keystore; clients
   * must trust `caFile` (service-kit's KAFKA_SSL=true and KAFKA_SSL_CA_FILE). Not for a cluster.
   */
  readonly tls?: BrokerTls;
}

export interface RunningKafka {
  readonly brokers: string;
  readonly pid: number;
  readonly logFile: string;
  /** The secured mode's users and passwords (only when started secured). */
  readonly credentials?: KafkaCredentials;
  stop(): Promise<void>;
}

/** The users the secured mode creates: its super user, the services, downstream readers. */
export const SECURED_KAFKA_USERS = [KAFKA_ADMIN_USER, ...SERVICE_NAMES, DOWNSTREAM_USER] as const;

/** kafkajs settings that authenticate as `user` on a secured broker. */
export function scramConnection(credentials: KafkaCredentials, user: string): Pick<KafkaConfig, 'sasl'> {
  const password = credentials.passwords[user];
  if (password === undefined) throw new Error(`no Kafka password for ${user}`);
  return { sasl: { mechanism: 'scram-sha-512', username: user, password } };
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
  const runtime = kafkaRuntime(env, options.log);
  const port = await choosePort('Kafka', options.port, options.preferredPort);
  const controllerPort = await freePort([port]);
  const formatted = formattedClusterId(nodeFilesIn(options.dataDir).logDir) !== undefined;
  const credentials = options.secured ? kafkaCredentials(options.dataDir, SECURED_KAFKA_USERS, formatted) : undefined;
  const security = credentials && { adminUser: KAFKA_ADMIN_USER, adminPassword: credentials.passwords[KAFKA_ADMIN_USER] as string };
  const files = writeNodeFiles(options.dataDir, { port, controllerPort, advertisedPort: options.advertisedPort, security, tls: options.tls });
  const scramUsers = credentials ? SECURED_KAFKA_USERS.map((name) => ({ name, password: credentials.passwords[name] as string })) : [];
  await formatStorage(runtime, files, newClusterId(), scramUsers);

  options.log?.(`Starting Apache Kafka ${KAFKA_VERSION} on 127.0.0.1:${port} (log: ${files.logFile})`);
  const child = spawnKafkaNode(runtime, files, { ownerPid: options.ownerPid, env, heap: SINGLE_BROKER_HEAP });
  const brokers = `127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const ssl = options.tls ? { ssl: { ca: [readFileSync(options.tls.caFile, 'utf8')] } } : {};
  const asAdmin = { ...(credentials ? scramConnection(credentials, KAFKA_ADMIN_USER) : {}), ...ssl };
  const ready = waitForBroker(brokers, timeoutMs, formattedClusterId(files.logDir), 1, asAdmin).then(async () => {
    if (options.tls) options.log?.(`Kafka's client listener is ${clientListener({ security, tls: options.tls })} (TLS)`);
    if (!options.secured) return;
    const count = await applyAcls(createKafka({ brokers, clientId: 'expo-acls' }, asAdmin), kafkaAcls({ topicPrefix: options.secured.topicPrefix }));
    options.log?.(`Kafka secured: SASL/SCRAM-SHA-512, ${count} ACLs applied (passwords in ${credentials?.file})`);
  });
  await awaitNode('Kafka', child, files.logFile, ready, timeoutMs);
  return { brokers, pid: child.pid, logFile: files.logFile, ...(credentials ? { credentials } : {}), stop: () => stopProcess(child.pid) };
}
