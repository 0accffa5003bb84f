export * from './check-result.ts';
export * from './scans-once.ts';
export * from './registrations.ts';
export * from './meetings.ts';
export * from './json-schemas.ts';
export * from './dead-letter-groups.ts';
export * from './dead-letters.ts';
