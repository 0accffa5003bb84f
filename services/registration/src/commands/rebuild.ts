// `pnpm --filter @expo/registration rebuild`: registration's Redis state from its compacted topics.
import { Redis } from 'ioredis';
import { createKafka } from '@expo/bus';
import { TOPICS } from '@expo/schemas';
import { ScriptRunner, loadLuaDir } from '@expo/service-kit';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.ts';
import { registrationKeys } from '../store/keys.ts';
import { RegistrationStore } from '../store/registration-store.ts';
import { rebuildState } from '../usecases/rebuild.ts';

const config = loadConfig();
const redis = new Redis(config.REDIS_URL);
try {
  const store = new RegistrationStore(redis, new ScriptRunner(redis, loadLuaDir(fileURLToPath(new URL('../lua', import.meta.url)))), registrationKeys(config.EXPO_ID));
  const report = await rebuildState({
    store,
    kafka: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'registration-rebuild' }),
    topics: { attendees: TOPICS.attendees, exhibitors: TOPICS.exhibitors, delegations: TOPICS.delegations, badges: TOPICS.badges, badgeKeys: TOPICS.badgeKeys },
    expo: { expoId: config.EXPO_ID, firstDay: config.EXPO_FIRST_DAY, lastDay: config.EXPO_LAST_DAY, timeZone: config.EXPO_TIME_ZONE },
  });
  console.log(JSON.stringify(report));
} finally {
  redis.disconnect();
}
