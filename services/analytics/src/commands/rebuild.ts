// `pnpm --filter @expo/analytics rebuild`: every figure of the expo folded again from the topics
// (scans are kept 30 days) by the running service, which fences its routes meanwhile.
import { redisConnectionFrom, requestRebuild, stateKeys } from '@expo/service-kit';
import { loadConfig } from '../config.ts';

const config = loadConfig();
await requestRebuild(redisConnectionFrom(config), stateKeys(config.EXPO_ID, 'analytics'), 'analytics');
