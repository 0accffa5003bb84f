/**
 * State lifecycle timing for tests: probes five times a second and a short settle, so a fault is
 * seen and healed within a test's patience; the same mechanics as the production defaults.
 */
export const STATE_TEST_ENV = { STATE_CHECK_MS: '200', STATE_SETTLE_MS: '300', STATE_LEASE_MS: '3000' } as const;
