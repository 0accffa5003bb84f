// `pnpm rebuild`: matchmaking's Redis state from its compacted topics — requirements, preferences,
// sessions, then meetings (stop the service first).
import { createKafka } from '@expo/bus';
import { withTopicPrefix } from '@expo/service-kit';
import { Redis } from 'ioredis';
import { DEFAULT_TOPICS } from '../app.ts';
import { loadConfig } from '../config.ts';
import { matchmakingKeys } from '../store/keys.ts';
import { rebuildMeetings } from '../usecases/rebuild.ts';
import { rebuildWishes } from '../usecases/rebuild-wishes.ts';

const config = loadConfig();
const redis = new Redis(config.REDIS_URL);
try {
  const deps = {
    redis,
    keys: matchmakingKeys(config.EXPO_ID),
    expoId: config.EXPO_ID,
    topics: withTopicPrefix(DEFAULT_TOPICS, config.TOPIC_PREFIX),
    limits: { maxSent: config.MAX_REQUESTS_SENT, maxActive: config.MAX_ACTIVE_MEETINGS, requestTtlSeconds: config.REQUEST_TTL_SECONDS },
  };
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${config.SERVICE_NAME}-rebuild` });
  const wishes = await rebuildWishes(deps, kafka);
  const report = await rebuildMeetings(deps, kafka);
  console.log(JSON.stringify({ msg: 'matchmaking state rebuilt from its topics', ...wishes, ...report }));
} finally {
  redis.disconnect();
}
