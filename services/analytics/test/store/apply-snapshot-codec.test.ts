import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLuaDir, ScriptRunner, type RedisClient } from '@expo/service-kit';
import { connectRedis, keysMatching, testNames } from '@expo/testkit';
import { applySnapshot } from '../../src/consumers/snapshot.ts';
import type { ConsumerDeps } from '../../src/consumers/deps.ts';
import { ExpoCalendar } from '../../src/domain/time.ts';
import { applySnapshotCall, decodeSnapshotOutcome, encodeCounters, type ApplySnapshotArgs } from '../../src/store/apply-snapshot-codec.ts';
import { analyticsKeys, analyticsPrefix } from '../../src/store/keys.ts';
import { ScriptAnswerError, ScriptArgumentsError } from '../../src/store/script-boundary.ts';

// apply-snapshot.lua's key and argument slots by name: each named field lands where the script
// keeps it, and its answer is read back as applied or skipped, or refused.

const names = testNames('apply-snapshot-codec');
const keys = analyticsKeys(names.expoId);
const WHERE = 'attendees:3';
let redis: RedisClient;
let scripts: ScriptRunner;

/** Attendee att-1's snapshot at `offset`, changed by `fields`. */
const snapshot = (offset: number, fields: Partial<ApplySnapshotArgs> = {}): ApplySnapshotArgs => ({
  where: WHERE,
  offset: String(offset),
  recordKey: 'att-1',
  id: 'att-1',
  stateHash: 'att-state',
  countersHash: 'registered',
  counters: { total: 1, 'category:buyer': 1 },
  attributes: { hash: 'att', value: 'active|buyer|KE|agri' },
  ...fields,
});

const run = async (args: ApplySnapshotArgs) => {
  const call = applySnapshotCall(keys, args);
  return decodeSnapshotOutcome(await scripts.run('apply-snapshot', call.keys, call.args));
};

beforeAll(() => {
  redis = connectRedis();
  scripts = new ScriptRunner(redis, loadLuaDir(fileURLToPath(new URL('../../src/lua', import.meta.url))));
});

afterAll(async () => {
  const left = await keysMatching(redis, `${analyticsPrefix(names.expoId)}*`);
  for (const key of left) await redis.unlink(key);
  await redis.quit();
});

describe('apply-snapshot.lua through its codec', () => {
  it('lays the named fields out in the slots of the script header', () => {
    expect(applySnapshotCall(keys, snapshot(7))).toEqual({
      keys: [keys.positions(WHERE), keys.offsets, keys.hash('att-state'), keys.hash('registered'), keys.hash('att')],
      args: [WHERE, '7', 'att-1', 'att-1', 'total=1;category:buyer=1', 'active|buyer|KE|agri'],
    });
    // No attributes kept: no fifth key; gone counters and a deleted value travel as ''.
    expect(applySnapshotCall(keys, snapshot(8, { counters: {}, attributes: undefined }))).toEqual({
      keys: [keys.positions(WHERE), keys.offsets, keys.hash('att-state'), keys.hash('registered')],
      args: [WHERE, '8', 'att-1', 'att-1', '', ''],
    });
    expect(encodeCounters({ 'a=b': 2, 'c;d': -1.4, zero: 0 })).toBe('a_b=2;c_d=-1');
  });

  it('applies each named field where the script keeps it, skips a redelivery, and takes an entity back', async () => {
    expect(await run(snapshot(5))).toBe('applied');
    expect(await redis.hgetall(keys.hash('registered'))).toEqual({ total: '1', 'category:buyer': '1' });
    expect(await redis.hget(keys.hash('att-state'), 'att-1')).toBe('total=1;category:buyer=1');
    expect(await redis.hget(keys.hash('att'), 'att-1')).toBe('active|buyer|KE|agri');
    expect(await redis.hget(keys.positions(WHERE), 'att-1')).toBe('5');
    expect(await redis.hget(keys.offsets, WHERE)).toBe('5');

    // The same record again, or an older one: skipped by the record key's position.
    expect(await run(snapshot(5, { counters: { total: 9 } }))).toBe('skipped');
    expect(await run(snapshot(4, { counters: { total: 9 } }))).toBe('skipped');
    expect(await redis.hget(keys.hash('registered'), 'total')).toBe('1');

    // A newer snapshot moves the counters from the old one's to its own.
    expect(await run(snapshot(9, { counters: { total: 1, 'category:media': 1 }, attributes: { hash: 'att', value: 'active|media|CN|' } }))).toBe('applied');
    expect(await redis.hgetall(keys.hash('registered'))).toEqual({ total: '1', 'category:buyer': '0', 'category:media': '1' });
    expect(await redis.hget(keys.hash('att'), 'att-1')).toBe('active|media|CN|');

    // Another record key of the same partition, at a lower offset: its own position, the highest offset kept.
    expect(await run(snapshot(6, { recordKey: 'att-2', id: 'att-2', counters: { total: 1 }, attributes: undefined }))).toBe('applied');
    expect(await redis.hgetall(keys.positions(WHERE))).toEqual({ 'att-1': '9', 'att-2': '6' });
    expect(await redis.hget(keys.offsets, WHERE)).toBe('9');
    expect(await redis.hexists(keys.hash('att'), 'att-2')).toBe(0);

    // Gone (a tombstone): counters taken back, state and attributes deleted.
    expect(await run(snapshot(10, { counters: {}, attributes: { hash: 'att', value: null } }))).toBe('applied');
    expect(await redis.hgetall(keys.hash('registered'))).toEqual({ total: '1', 'category:buyer': '0', 'category:media': '0' });
    expect(await redis.hexists(keys.hash('att-state'), 'att-1')).toBe(0);
    expect(await redis.hexists(keys.hash('att'), 'att-1')).toBe(0);
  });
});

describe('a malformed apply-snapshot answer or argument', () => {
  it('is refused when the script answers anything but 1 or 0, through the consumers path', async () => {
    const context = { topic: 'attendees', partition: 3, offset: '11', key: 'att-3' };
    const answering = (answer: string): ConsumerDeps => ({
      scripts: new ScriptRunner(redis, { 'apply-snapshot': `return ${answer}` }),
      keys,
      calendar: new ExpoCalendar('Asia/Shanghai'),
      policy: { graceMs: 3_600_000, closeDelayMs: 0 },
      dedupeTtlSeconds: 3600,
    });
    const gone = { state: 'att-state', id: 'att-3', counters: {} };
    await expect(applySnapshot(answering("'OK'"), context, gone, 'registered')).rejects.toThrow(
      new ScriptAnswerError('apply-snapshot answered a string: expected 1 (applied) or 0 (skipped)'),
    );
    await expect(applySnapshot(answering('2'), context, gone, 'registered')).rejects.toThrow(/^apply-snapshot answered 2: expected 1/);
    await expect(applySnapshot(answering('{1}'), context, gone, 'registered')).rejects.toThrow(/^apply-snapshot answered a list of 1 entries/);
    await expect(applySnapshot(answering('nil'), context, gone, 'registered')).rejects.toThrow(/^apply-snapshot answered nil/);
    expect(decodeSnapshotOutcome(0)).toBe('skipped');
  });

  it('refuses an offset that is not a decimal offset before the script runs', () => {
    expect(() => applySnapshotCall(keys, snapshot(1, { offset: '' }))).toThrow(ScriptArgumentsError);
    expect(() => applySnapshotCall(keys, snapshot(1, { offset: '12a' }))).toThrow(/^apply-snapshot: offset "12a" is not a decimal offset$/);
  });
});
