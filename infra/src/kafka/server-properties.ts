/** A member of the KRaft controller quorum. */
export interface Voter {
  readonly nodeId: number;
  readonly controllerPort: number;
}

/** How many copies the cluster keeps of every partition, and how many an `acks=-1` write waits for. */
export interface Replication {
  readonly factor: number;
  readonly minInsyncReplicas: number;
}

export interface BrokerLayout {
  readonly port: number;
  readonly controllerPort: number;
  readonly logDir: string;
  /** The port clients are told to connect to, when a proxy stands in front of the broker (default: `port`). */
  readonly advertisedPort?: number;
  /** This node's id (default 1). */
  readonly nodeId?: number;
  /** Every controller of the quorum, this node included (default: this node alone). */
  readonly voters?: readonly Voter[];
  /** Default: one copy, as a single node can only hold. */
  readonly replication?: Replication;
  /** Set: clients authenticate (SASL) and are authorized by ACLs; see securedSettings. */
  readonly security?: BrokerSecurity;
  /** Set: the client listener speaks TLS (SSL, or SASL_SSL with `security`); see tlsSettings. */
  readonly tls?: BrokerTls;
}

/**
 * TLS on the client listener: the broker's key and certificate, and the authority that signed
 * them, which the broker trusts when it connects to its own listener (inter-broker).
 */
export interface BrokerTls {
  /** A PKCS12 keystore holding the broker's key and its certificate for 127.0.0.1. */
  readonly keystoreFile: string;
  readonly keystorePassword: string;
  /** The authority's certificate (PEM). */
  readonly caFile: string;
}

/** The secured mode's one secret the broker itself holds: its super user's password. */
export interface BrokerSecurity {
  readonly adminUser: string;
  readonly adminPassword: string;
}

/** The client listener's name in the secured mode (its security protocol has the same name). */
export const SECURED_LISTENER = 'SASL_PLAINTEXT';

/** The client listener's name, which is its security protocol's: SASL with `security`, TLS with `tls`. */
export function clientListener(layout: Pick<BrokerLayout, 'security' | 'tls'>): 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL' {
  if (layout.security) return layout.tls ? 'SASL_SSL' : SECURED_LISTENER;
  return layout.tls ? 'SSL' : 'PLAINTEXT';
}

type Settings = Record<string, string | number | boolean>;

const SINGLE_COPY: Replication = { factor: 1, minInsyncReplicas: 1 };

/** The cluster-wide defaults and the internal topics (offsets, transactions, share groups) alike. */
function replicationSettings(r: Replication): Settings {
  return {
    'default.replication.factor': r.factor,
    'min.insync.replicas': r.minInsyncReplicas,
    // An out-of-sync replica never becomes leader: that would drop acknowledged writes.
    'unclean.leader.election.enable': false,
    'offsets.topic.replication.factor': r.factor,
    'transaction.state.log.replication.factor': r.factor,
    'transaction.state.log.min.isr': r.minInsyncReplicas,
    'share.coordinator.state.topic.replication.factor': r.factor,
    'share.coordinator.state.topic.min.isr': r.minInsyncReplicas,
  };
}

/**
 * A node killed with -9 says no goodbye: the controller fences it, and its partitions get new
 * leaders, only once its heartbeats have been missing for the session timeout. Kafka's 9 s default,
 * after a controller election when the node was the active controller, leaves producers unanswered
 * for longer than the 10 s the platform allows; on loopback a 1 s heartbeat is cheap.
 */
const FAILOVER_SETTINGS: Settings = {
  'broker.session.timeout.ms': 3000,
  'broker.heartbeat.interval.ms': 500,
};

/** Only letters and digits: a password goes into a JAAS line and a `--add-scram` argument unquoted. */
function assertPlainSecret(secret: string): void {
  if (!/^[A-Za-z0-9]{16,}$/.test(secret)) throw new Error('the Kafka admin password must be 16 or more letters and digits');
}

/**
 * Clients and the broker's own connections authenticate; the authorizer allows only what an ACL
 * allows (allow.everyone.if.no.acl.found=false), to anyone but the super user. Clients use
 * SCRAM-SHA-512 on SASL_PLAINTEXT, with credentials stored in the metadata log at format time
 * (`--add-scram`); the broker connects to itself as the super user too. KRaft cannot check SCRAM
 * on the controller listener (its credentials live in the log the controller serves), so that
 * listener takes SASL/PLAIN with the super user's password in its JAAS line, and the broker's
 * registration and heartbeats arrive as User:<admin>, which may do cluster actions.
 */
function securedSettings(layout: BrokerLayout, security: BrokerSecurity): Settings {
  assertPlainSecret(security.adminPassword);
  const user = security.adminUser;
  const password = security.adminPassword;
  const name = clientListener(layout);
  const listener = name.toLowerCase();
  return {
    listeners: `${name}://127.0.0.1:${layout.port},CONTROLLER://127.0.0.1:${layout.controllerPort}`,
    'advertised.listeners': `${name}://127.0.0.1:${layout.advertisedPort ?? layout.port}`,
    'inter.broker.listener.name': name,
    'listener.security.protocol.map': `CONTROLLER:SASL_PLAINTEXT,${name}:${name}`,
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    'sasl.mechanism.controller.protocol': 'PLAIN',
    [`listener.name.${listener}.sasl.enabled.mechanisms`]: 'SCRAM-SHA-512',
    [`listener.name.${listener}.scram-sha-512.sasl.jaas.config`]: `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${password}";`,
    'listener.name.controller.sasl.enabled.mechanisms': 'PLAIN',
    'listener.name.controller.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${password}" user_${user}="${password}";`,
    'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'super.users': `User:${user}`,
    'allow.everyone.if.no.acl.found': false,
  };
}

/**
 * The client listener with TLS (the controller's stays on loopback without it): the broker's
 * certificate from a PKCS12 keystore; the authority as a PEM truststore for the broker's own
 * connections to that listener, checked against 127.0.0.1 like any client's. Clients are not asked
 * for certificates. With `security` the listener is SASL_SSL (securedSettings names it).
 */
function tlsSettings(layout: BrokerLayout, tls: BrokerTls): Settings {
  if (/[\s\\]/.test(tls.keystorePassword)) throw new Error('the Kafka keystore password may not hold spaces or backslashes');
  return {
    ...(layout.security
      ? {}
      : {
          listeners: `SSL://127.0.0.1:${layout.port},CONTROLLER://127.0.0.1:${layout.controllerPort}`,
          'advertised.listeners': `SSL://127.0.0.1:${layout.advertisedPort ?? layout.port}`,
          'inter.broker.listener.name': 'SSL',
          'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,SSL:SSL',
        }),
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': tls.keystoreFile,
    'ssl.keystore.password': tls.keystorePassword,
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': tls.caFile,
    'ssl.client.auth': 'none',
  };
}

/**
 * One KRaft node that is broker and controller in one process: alone (a development broker,
 * replication factor 1) or one of a quorum. Group settings are trimmed so a fresh broker answers
 * consumer groups within seconds.
 */
export function serverProperties(layout: BrokerLayout): string {
  const nodeId = layout.nodeId ?? 1;
  const voters = layout.voters ?? [{ nodeId, controllerPort: layout.controllerPort }];
  const settings: Settings = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': voters.map((v) => `${v.nodeId}@127.0.0.1:${v.controllerPort}`).join(','),
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
    // the broker shares a few cores with the services, Redis and the tests: 2 and 2 cost less broker
    // CPU per scan and scanned faster (README, "Measurements behind code choices").
    'num.io.threads': 2,
    'num.network.threads': 2,
    ...replicationSettings(layout.replication ?? SINGLE_COPY),
    'offsets.topic.num.partitions': 10,
    ...(voters.length > 1 ? FAILOVER_SETTINGS : {}),
    'group.initial.rebalance.delay.ms': 0,
    ...(layout.security ? securedSettings(layout, layout.security) : {}),
    ...(layout.tls ? tlsSettings(layout, layout.tls) : {}),
  };
  return `${Object.entries(settings)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n')}\n`;
}
