import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { KAFKA_ADMIN_USER, serviceAclUsers } from '@expo/schemas';
import { InfraError } from './errors.ts';
import { KAFKA_CREDENTIALS_FILE, kafkaSaslEnv } from './kafka/credentials.ts';
import { formattedClusterId, nodeFilesIn } from './kafka/node.ts';
import { localKafkaDir, localShape, type Infra, type InfraOptions } from './stack.ts';

/** What startInfra is asked to secure. */
export type InfraSecurity = Pick<InfraOptions, 'kafkaSecured' | 'redisAcl'>;

/**
 * How `pnpm dev` secures what it starts itself (issue 21): the single broker with SASL/SCRAM and
 * the ACLs of the topic table, the single redis-server with one ACL user per service and the
 * default user off. A Kafka or Redis named by KAFKA_BROKERS / REDIS_URL (or `infra:up`'s) is used
 * as it is, and clusters are not secured yet.
 */
export function devSecurity(options: Pick<InfraOptions, 'dataDir' | 'env' | 'kafkaNodes' | 'redisCluster'>): InfraSecurity {
  const env = options.env ?? process.env;
  const shape = localShape(options, env);
  const kafka = !env.KAFKA_BROKERS && shape.kafkaNodes === 1;
  const redis = !env.REDIS_URL && !shape.redisCluster;
  if (kafka) assertSecurable(localKafkaDir(options.dataDir));
  return {
    ...(kafka ? { kafkaSecured: {} } : {}),
    ...(redis ? { redisAcl: { users: serviceAclUsers() } } : {}),
  };
}

/**
 * The broker's users are written into its storage when it is formatted: a folder an unsecured run
 * formatted (before `pnpm dev` was secured, `--insecure`, `infra:up`) has none, and cannot be
 * secured in place.
 */
function assertSecurable(kafkaDir: string): void {
  const formatted = formattedClusterId(nodeFilesIn(kafkaDir).logDir) !== undefined;
  if (formatted && !existsSync(join(kafkaDir, KAFKA_CREDENTIALS_FILE))) {
    throw new InfraError(
      `the broker in ${kafkaDir} was formatted by an unsecured run and has no users: \`pnpm dev --reset\` starts afresh, secured (the demo is seeded again), or \`pnpm dev --insecure\` keeps its data unsecured`,
    );
  }
}

/**
 * What a service started on `infra` gets besides the shared environment: its own Kafka user (the
 * password as a file) when the broker runs secured, and its own Redis ACL user in REDIS_URL when
 * Redis does. Nothing when neither is secured; a service without a user of its own is refused
 * rather than handed the admin's.
 */
export function serviceCredentialsEnv(infra: Pick<Infra, 'kafka' | 'redis'>, service: string): NodeJS.ProcessEnv {
  const kafka = infra.kafka?.credentials;
  const redisUsers = infra.redis?.userUrls ?? {};
  const redisUrl = redisUsers[service];
  if (Object.keys(redisUsers).length > 0 && redisUrl === undefined) throw new InfraError(`the secured Redis has no ACL user for ${service}`);
  return { ...(kafka ? kafkaSaslEnv(kafka, service) : {}), ...(redisUrl === undefined ? {} : { REDIS_URL: redisUrl }) };
}

/** The admin's Kafka variables on a secured broker (printed with the connection for operators' commands); none otherwise. */
export function adminKafkaEnv(infra: Pick<Infra, 'kafka'>): Record<string, string> {
  const credentials = infra.kafka?.credentials;
  return credentials ? kafkaSaslEnv(credentials, KAFKA_ADMIN_USER) : {};
}
