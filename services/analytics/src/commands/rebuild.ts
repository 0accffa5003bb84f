// `pnpm --filter @expo/analytics rebuild`, with the service stopped: forget the expo's figures and
// offsets; the next start computes every figure again from the topics (scans are kept 30 days).
import { Redis } from 'ioredis';
import { createKafka } from '@expo/bus';
import { loadConfig } from '../config.ts';
import { resetAnalytics } from './reset-state.ts';

const config = loadConfig();
const redis = new Redis(config.REDIS_URL);
try {
  const report = await resetAnalytics({
    redis,
    kafka: createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'analytics-rebuild' }),
    expoId: config.EXPO_ID,
    consumerGroup: config.CONSUMER_GROUP,
  });
  console.log(JSON.stringify({ ...report, next: 'start the service: it reads every topic from the beginning' }));
} finally {
  redis.disconnect();
}
