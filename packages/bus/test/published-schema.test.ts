import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { TOPICS, eventSchemaFileName, ScanAccepted } from '@expo/schemas';
import { consoleConsume, createTestTopics, kafkaBrokers, testNames } from '@expo/testkit';
import { createKafka } from '../src/kafka.ts';
import { BusProducer } from '../src/producer.ts';

const schemasDir = dirname(dirname(createRequire(import.meta.url).resolve('@expo/schemas')));
const producer = new BusProducer(createKafka({ brokers: kafkaBrokers(), clientId: 'schema-test' }), { source: 'badge-scanning', sendTimeoutMs: 30_000 });
afterAll(() => producer.disconnect());

beforeAll(() => {
  // The package's own build step writes the published files (dist/json-schema/*.json).
  const build = spawnSync(process.execPath, ['--import', 'tsx', join(schemasDir, 'scripts', 'build-json-schemas.ts')], { cwd: schemasDir, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
});

describe('a record as a consumer in another language sees it', () => {
  it("read by Apache Kafka's console consumer, validates against the published JSON Schema (ajv, not zod)", async () => {
    const names = testNames('published-schema');
    const topic = { ...TOPICS.scans, name: (await createTestTopics(names, [TOPICS.scans], { partitions: 1 })).get(TOPICS.scans.name)!.name };
    const scannedAt = new Date().toISOString();
    await producer.send(topic, [
      {
        type: 'scan.accepted',
        eventId: names.expoId,
        occurredAt: scannedAt,
        data: {
          scanId: 'scan-1',
          badgeId: 'badge-1',
          attendeeId: 'att-1',
          deviceId: 'dev-1',
          gateId: 'gate-1',
          zoneId: 'hall-1',
          fromZoneId: 'venue',
          toZoneId: 'hall-1',
          direction: 'in',
          category: 'buyer',
          country: 'KE',
          scannedAt,
          flags: { inferred: false, offline: false },
          origin: 'device',
          occupancyAfter: 1,
          decision: 'accepted',
          reason: null,
        },
      },
    ]);

    const [line] = await consoleConsume(kafkaBrokers(), topic.name, 1);
    const record = JSON.parse(line!) as Record<string, unknown>;
    const schema = JSON.parse(readFileSync(join(schemasDir, 'dist', 'json-schema', eventSchemaFileName(ScanAccepted)), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    ajvFormats.default(ajv);
    const validate = ajv.compile(schema);

    expect(validate(record), JSON.stringify(validate.errors)).toBe(true);
    expect(record).toMatchObject({ type: 'scan.accepted', schemaVersion: 1, eventId: names.expoId, source: 'badge-scanning' });
    expect(validate({ ...record, data: { ...(record.data as object), occupancyAfter: -1 } })).toBe(false);
  });
});
