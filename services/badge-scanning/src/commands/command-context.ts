import { createKafka } from '@expo/bus';
import { fileURLToPath } from 'node:url';
import { createRedisClient, kafkaConnectionFrom, loadLuaDir, redisConnectionFrom, ScriptRunner, withTopicPrefix } from '@expo/service-kit';
import { loadConfig } from '../config.ts';
import { scanningKeys } from '../store/keys.ts';
import { RegistryStore } from '../store/registry-store.ts';
import { ScanStore } from '../store/scan-store.ts';
import { ZoneStore } from '../store/zone-store.ts';
import { DEFAULT_TOPICS } from '../usecases/deps.ts';
import type { RebuildDeps } from '../usecases/rebuild.ts';

/** What the operator commands work with: the service's own config, Redis and the platform topics. */
export async function commandContext(): Promise<RebuildDeps & { close(): void }> {
  const config = loadConfig();
  const redis = createRedisClient({ ...redisConnectionFrom(config), commandTimeoutMs: 30_000 });
  const keys = scanningKeys(config.EXPO_ID);
  // Commands fail fast like the service (no offline queue): wait for the connection first.
  await new Promise<void>((resolve, reject) => {
    redis.once('ready', resolve);
    redis.once('error', reject);
  });
  const scripts = new ScriptRunner(redis, loadLuaDir(fileURLToPath(new URL('../lua', import.meta.url))));
  return {
    redis,
    keys,
    zones: new ZoneStore(redis, keys),
    registry: new RegistryStore(redis, scripts, keys),
    scans: new ScanStore(redis, scripts, keys, config.SCAN_MEMORY_SECONDS),
    kafka: createKafka({ ...kafkaConnectionFrom(config), clientId: `${config.SERVICE_NAME}-command` }),
    // The same names the running service uses: a platform with TOPIC_PREFIX reconciles its own log.
    topics: withTopicPrefix(DEFAULT_TOPICS, config.TOPIC_PREFIX),
    expoId: config.EXPO_ID,
    memorySeconds: config.SCAN_MEMORY_SECONDS,
    close: () => redis.disconnect(),
  };
}
