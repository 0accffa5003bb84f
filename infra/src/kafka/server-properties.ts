export interface BrokerLayout {
  readonly port: number;
  readonly controllerPort: number;
  readonly logDir: string;
  /** The port clients are told to connect to, when a proxy stands in front of the broker (default: `port`). */
  readonly advertisedPort?: number;
}

/**
 * A single-node KRaft cluster: one process is broker and controller. Settings are those of a
 * development broker (replication factor 1); group and offsets settings are trimmed so a fresh
 * broker answers consumer groups within seconds.
 */
export function serverProperties(layout: BrokerLayout): string {
  const settings: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${layout.controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${layout.port},CONTROLLER://127.0.0.1:${layout.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${layout.advertisedPort ?? layout.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': layout.logDir,
    // Topics are provisioned from packages/schemas/src/topics.ts; a typo must not create one.
    'auto.create.topics.enable': false,
    'num.partitions': 3,
    // Kafka's defaults (8 request handler threads, 3 network threads) suit a server of its own. Here
    // the broker shares a few cores with the services, Redis and the tests: with 2 and 2 the
    // badge-scanning benchmark spent 78-118 instead of 129-155 µs of broker CPU per scan and
    // scanned 2,215-2,426 instead of 2,000-2,103 per second (four alternating pairs, 2 cores;
    // 1 and 1 gave 2,031-2,145).
    'num.io.threads': 2,
    'num.network.threads': 2,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
  };
  return `${Object.entries(settings)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n')}\n`;
}
