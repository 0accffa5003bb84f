import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';

const required = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  REDIS_URL: 'redis://127.0.0.1:6379',
  ADMIN_TOKENS: 'admin-token-0123456789',
  OPS_TOKENS: 'ops-token-0123456789ab',
  EXPO_ID: 'ciie-2024',
};

describe('badge-scanning configuration', () => {
  it('turns the closing sweep off with CLOSING_SWEEP_AT=off; an empty variable means the default 22:00', () => {
    expect(loadConfig({ ...required, CLOSING_SWEEP_AT: 'off' }).CLOSING_SWEEP_AT).toBe('off');
    expect(loadConfig({ ...required, CLOSING_SWEEP_AT: '' }).CLOSING_SWEEP_AT).toBe('22:00');
    expect(loadConfig({ ...required, CLOSING_SWEEP_AT: '21:30' }).CLOSING_SWEEP_AT).toBe('21:30');
    expect(() => loadConfig({ ...required, CLOSING_SWEEP_AT: '25:00' })).toThrow(/CLOSING_SWEEP_AT/);
  });
});
