import type { ServiceWait } from './http-client.ts';

/** Where the four services listen, and the admin token they all accept. */
export interface Endpoints {
  readonly registration: string;
  readonly scanning: string;
  readonly matchmaking: string;
  readonly analytics: string;
  readonly adminToken: string;
  /** Wait for a service that is away (restarting, starting) instead of failing: the demo's way. */
  readonly wait?: ServiceWait;
}

export const DEFAULT_URLS = {
  registration: 'http://127.0.0.1:3001',
  scanning: 'http://127.0.0.1:3002',
  matchmaking: 'http://127.0.0.1:3003',
  analytics: 'http://127.0.0.1:3004',
} as const;

/** Endpoints from the environment (`REGISTRATION_URL`, ..., `ADMIN_TOKEN`), defaults on loopback. */
export function endpointsFromEnv(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const adminToken = env.ADMIN_TOKEN ?? env.ADMIN_TOKENS?.split(',')[0]?.trim() ?? '';
  return {
    registration: env.REGISTRATION_URL ?? DEFAULT_URLS.registration,
    scanning: env.BADGE_SCANNING_URL ?? DEFAULT_URLS.scanning,
    matchmaking: env.MATCHMAKING_URL ?? DEFAULT_URLS.matchmaking,
    analytics: env.ANALYTICS_URL ?? DEFAULT_URLS.analytics,
    adminToken,
  };
}
