import { ACCESS_PROFILES_FOR_TESTS } from './access-profiles.ts';
import type { SeedPlan } from '../../src/seed/seed-plan.ts';
import { emptyState, type SeedState } from '../../src/seed/seed-state.ts';

/** A seed state as the services would have answered it, with unsigned tokens (nothing verifies them here). */
export function fakeSeedState(plan: SeedPlan): SeedState {
  const state = emptyState(plan.seed, plan.size, '2024-11-05');
  for (const zone of plan.venue.zones) {
    state.zones.push(zone.zoneId);
    for (const gate of zone.gates) {
      state.gates[gate.gateId] = zone.zoneId;
      state.devices[gate.gateId] = { deviceId: `dev-${gate.gateId}`, deviceKey: `key-${gate.gateId}` };
    }
  }
  for (const e of plan.exhibitors) state.exhibitors[e.key] = { exhibitorId: `id-${e.key}`, exhibitorKey: `key-${e.key}` };
  for (const d of plan.delegations)
    state.delegations[d.key] = { delegationId: `id-${d.key}`, subGroups: Object.fromEntries(d.subGroups.map((g) => [g.key, `id-${g.key}`])) };
  for (const a of plan.attendees) {
    const claims = {
      v: 1,
      kid: 'k1',
      bid: `bdg-${a.key}`,
      aid: `id-${a.key}`,
      eid: 'test',
      cat: a.category,
      acc: ACCESS_PROFILES_FOR_TESTS[a.category],
      from: '2024-11-05',
      to: '2024-11-07',
    };
    state.attendees[a.key] = { attendeeId: claims.aid, badgeId: claims.bid, badgeToken: `${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln` };
  }
  state.validity = { from: '2024-11-05', to: '2024-11-07' };
  state.session = { sessionId: plan.session.sessionId, defined: true };
  return state;
}
