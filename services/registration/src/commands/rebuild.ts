// `pnpm --filter @expo/registration rebuild`: registration's Redis state again from its compacted topics.
import { redisConnectionFrom, requestRebuild, stateKeys } from '@expo/service-kit';
import { loadConfig } from '../config.ts';

const config = loadConfig();
await requestRebuild(redisConnectionFrom(config), stateKeys(config.EXPO_ID, 'reg'), 'registration');
