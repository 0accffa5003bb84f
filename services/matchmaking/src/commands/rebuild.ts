// `pnpm rebuild`: meetings' Redis state from `matchmaking.meetings.v1` (stop the service first).
import { createKafka } from '@expo/bus';
import { TOPICS } from '@expo/schemas';
import { Redis } from 'ioredis';
import { loadConfig } from '../config.ts';
import { matchmakingKeys } from '../store/keys.ts';
import { rebuildMeetings } from '../usecases/rebuild.ts';

const config = loadConfig();
const redis = new Redis(config.REDIS_URL);
try {
  const report = await rebuildMeetings(
    {
      redis,
      keys: matchmakingKeys(config.EXPO_ID),
      expoId: config.EXPO_ID,
      topics: { attendees: TOPICS.attendees, exhibitors: TOPICS.exhibitors, delegations: TOPICS.delegations, badgeKeys: TOPICS.badgeKeys, leads: TOPICS.leads, zones: TOPICS.zones, scans: TOPICS.scans, meetings: TOPICS.meetings },
      limits: { maxSent: config.MAX_REQUESTS_SENT, maxActive: config.MAX_ACTIVE_MEETINGS, requestTtlSeconds: config.REQUEST_TTL_SECONDS },
    },
    createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${config.SERVICE_NAME}-rebuild` }),
  );
  console.log(JSON.stringify({ msg: 'matchmaking meetings rebuilt from the topic', ...report }));
} finally {
  redis.disconnect();
}
