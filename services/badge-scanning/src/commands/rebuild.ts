// `pnpm --filter @expo/badge-scanning rebuild`: the expo's scanning state again from the topics alone.
import { redisConnectionFrom, requestRebuild, stateKeys } from '@expo/service-kit';
import { loadConfig } from '../config.ts';

const config = loadConfig();
await requestRebuild(redisConnectionFrom(config), stateKeys(config.EXPO_ID, 'scan'), 'scanning');
