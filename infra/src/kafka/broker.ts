import { waitForBroker } from './admin.ts';
import { choosePort, freePort, restartOnLostPort } from '../ports.ts';
import { stopProcess } from '../process.ts';
import {
  awaitNode,
  formatStorage,
  formattedClusterId,
  kafkaRuntime,
  newClusterId,
  spawnKafkaNode,
  writeNodeFiles,
  type Heap,
  type KafkaStartOptions,
} from './node.ts';
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
}

export interface RunningKafka {
  readonly brokers: string;
  readonly pid: number;
  readonly logFile: string;
  stop(): Promise<void>;
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
  const files = writeNodeFiles(options.dataDir, { port, controllerPort, advertisedPort: options.advertisedPort });
  await formatStorage(runtime, files, newClusterId());

  options.log?.(`Starting Apache Kafka ${KAFKA_VERSION} on 127.0.0.1:${port} (log: ${files.logFile})`);
  const child = spawnKafkaNode(runtime, files, { ownerPid: options.ownerPid, env, heap: SINGLE_BROKER_HEAP });
  const brokers = `127.0.0.1:${port}`;
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  await awaitNode('Kafka', child, files.logFile, waitForBroker(brokers, timeoutMs, formattedClusterId(files.logDir)), timeoutMs);
  return { brokers, pid: child.pid, logFile: files.logFile, stop: () => stopProcess(child.pid) };
}
