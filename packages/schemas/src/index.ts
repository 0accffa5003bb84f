export * from './event.ts';
export * from './primitives.ts';
export * from './topics.ts';

export * from './vocab/anti-passback.ts';
export * from './vocab/attendee-categories.ts';
export * from './vocab/budget-bands.ts';
export * from './vocab/countries.ts';
export * from './vocab/least-developed-countries.ts';
export * from './vocab/meeting-statuses.ts';
export * from './vocab/scan-decisions.ts';
export * from './vocab/scan-directions.ts';
export * from './vocab/sectors.ts';
export * from './vocab/world-regions.ts';
export * from './vocab/zone-kinds.ts';

export * from './badge-access.ts';
export * from './badge-keys.ts';
export * from './badge-token.ts';

export * from './events/attendees.ts';
export * from './events/badges.ts';
export * from './events/badge-keys.ts';
export * from './events/delegations.ts';
export * from './events/exhibitors.ts';
export * from './events/footfall.ts';
export * from './events/leads.ts';
export * from './events/meetings.ts';
export * from './events/preferences.ts';
export * from './events/requirements.ts';
export * from './events/scans.ts';
export * from './events/sessions.ts';
export * from './events/zones.ts';

export * from './http/registration/attendees.ts';
export * from './http/registration/badges.ts';
export * from './http/registration/delegations.ts';
export * from './http/registration/exhibitors.ts';
export * from './http/registration/taxonomy.ts';
export * from './http/badge-scanning/devices.ts';
export * from './http/badge-scanning/gates.ts';
export * from './http/badge-scanning/leads.ts';
export * from './http/badge-scanning/occupancy.ts';
export * from './http/badge-scanning/scans.ts';
export * from './http/badge-scanning/zones.ts';
export * from './http/matchmaking/meetings.ts';
export * from './http/matchmaking/preferences.ts';
export * from './http/matchmaking/recommendations.ts';
export * from './http/matchmaking/requirements.ts';
export * from './http/matchmaking/schedule.ts';
export * from './http/matchmaking/sessions.ts';
export * from './http/analytics/dwell.ts';
export * from './http/analytics/footfall.ts';
export * from './http/analytics/summary.ts';

export * from './json-schema.ts';
export * from './published-schemas.ts';
export * from './compat.ts';
