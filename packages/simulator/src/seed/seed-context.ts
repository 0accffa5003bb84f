import { HttpClient } from '../http/http-client.ts';
import type { Endpoints } from '../http/endpoints.ts';
import type { SeedPlan } from './seed-plan.ts';
import type { SeedState } from './seed-state.ts';

export type SeedPhase = 'venue' | 'exhibitors' | 'delegations' | 'attendees' | 'import' | 'matchmaking';

export interface SeedContext {
  readonly plan: SeedPlan;
  readonly state: SeedState;
  readonly registration: HttpClient;
  readonly scanning: HttpClient;
  readonly matchmaking: HttpClient;
  readonly concurrency: number;
  /** Persists the state (after a phase, and every so often within a long one). */
  readonly save: () => Promise<void>;
  readonly progress: (phase: SeedPhase, done: number, total: number) => void;
  readonly notes: string[];
}

export function clientsFor(endpoints: Endpoints) {
  return {
    registration: new HttpClient(endpoints.registration, endpoints.adminToken, undefined, endpoints.wait),
    scanning: new HttpClient(endpoints.scanning, endpoints.adminToken, undefined, endpoints.wait),
    matchmaking: new HttpClient(endpoints.matchmaking, endpoints.adminToken, undefined, endpoints.wait),
  };
}
