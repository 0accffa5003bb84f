// The floor of the scan path (issue 22): what any scan on this architecture must pay, run by
// bench/run.ts as a process of its own beside the service, with the service's Node flags, on the
// same Kafka and Redis. The difference between the service and this is the service's own cost.
//   POST /v1/scans: the scan's request schema (zod, with the zod validator compiler as service-kit
//     sets it), one EVALSHA of a script doing one INCR and one SET of a 200-byte value, one record
//     of a scan record's size through BusProducer with the service's producer settings (acks -1,
//     idempotent, KAFKA_LINGER_MS), answered after the acknowledgement, the answer written with
//     fast-json-stringify from the JSON Schema of ScanResult (as service-kit's serializer does).
//   POST /v1/scans/batch: one script call per 50 scans (one INCR and one SET each), one produce
//     of the batch's records.
//   POST /limited/v1/scans: /v1/scans behind the service's per-device rate limit (@fastify/rate-limit
//     counting in Redis, keyed by device): the limiter's price, apart.
// Not here, by design: bearer auth and its key cache, request ids, logging, metrics, token checks.
// Env: PORT, KAFKA_BROKERS, REDIS_URL, EXPO_ID (the keys' hash tag is `floor-<EXPO_ID>`),
// FLOOR_TOPIC (a topic shaped as scanning.scans.v1), and the service's KAFKA_LINGER_MS,
// SCAN_MEMORY_SECONDS and SCAN_RATE_LIMIT_PER_MINUTE when set (else the service's defaults).
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BusProducer, buildEnvelope, createKafka, HEADER_SCHEMA_VERSION, HEADER_TYPE } from '@expo/bus';
import { ScanBatchRequest, ScanBatchResponse, ScanRequest, ScanResult, TOPICS } from '@expo/schemas';
import { createRedisClient, whenReady } from '@expo/service-kit';
import { ConfigSchema } from '../src/config.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`floor-server: ${name} is not set`);
  return value;
};
const EXPO_ID = env('EXPO_ID');
const TOPIC = env('FLOOR_TOPIC');
const LINGER_MS = ConfigSchema.shape.KAFKA_LINGER_MS.parse(process.env.KAFKA_LINGER_MS);
const TTL_SECONDS = String(ConfigSchema.shape.SCAN_MEMORY_SECONDS.parse(process.env.SCAN_MEMORY_SECONDS));
const PER_MINUTE = ConfigSchema.shape.SCAN_RATE_LIMIT_PER_MINUTE.parse(process.env.SCAN_RATE_LIMIT_PER_MINUTE);
/** As the service's scan store: scans per script call in a batch. */
const SCRIPT_CHUNK = 50;
const TAG = `{floor-${EXPO_ID}}`;
const COUNTER = `${TAG}:count`;
const VALUE = 'v'.repeat(200);

// One INCR and one SET per scan; KEYS[1] the counter, KEYS[1 + i] scan i's key.
const SCRIPT = `
local counts = {}
for i = 2, #KEYS do
  counts[#counts + 1] = redis.call('INCR', KEYS[1])
  redis.call('SET', KEYS[i], ARGV[2], 'EX', ARGV[1])
end
return counts`;

const redis = createRedisClient({ url: env('REDIS_URL'), autoPipelining: true });
if (!(await whenReady(redis, 10_000))) throw new Error(`floor-server: Redis not ready within 10 s`);
let sha = (await redis.script('LOAD', SCRIPT)) as string;

async function run(scanIds: readonly string[]): Promise<number[]> {
  const keys = [COUNTER, ...scanIds.map((id) => `${TAG}:scan:${id}`)];
  try {
    return (await redis.evalsha(sha, keys.length, ...keys, TTL_SECONDS, VALUE)) as number[];
  } catch (error) {
    if (!String(error).includes('NOSCRIPT')) throw error;
    sha = (await redis.script('LOAD', SCRIPT)) as string;
    return (await redis.evalsha(sha, keys.length, ...keys, TTL_SECONDS, VALUE)) as number[];
  }
}

const producer = new BusProducer(createKafka({ brokers: env('KAFKA_BROKERS'), clientId: 'bench-floor' }), { source: 'badge-scanning', lingerMs: LINGER_MS });
await producer.connect();

// A device's accepted scan as the service records it (envelope validated once, here), its scanId
// replaced per scan: one record of a scan record's size, keyed as scans are spread over partitions.
const SAMPLE_SCAN_ID = '00000000-0000-4000-8000-000000000000';
const sample = buildEnvelope(
  TOPICS.scans,
  {
    type: 'scan.accepted',
    eventId: EXPO_ID,
    data: {
      scanId: SAMPLE_SCAN_ID,
      badgeId: 'bdg-123456',
      attendeeId: 'att-123456',
      deviceId: 'dev-00000000-0000-4000-8000-000000000000',
      gateId: 'gate-12',
      zoneId: 'hall-12',
      fromZoneId: 'necc',
      toZoneId: 'hall-12',
      direction: 'in',
      category: 'professional_visitor',
      country: 'CN',
      scannedAt: new Date().toISOString(),
      flags: { inferred: false, offline: false },
      origin: 'device',
      occupancyAfter: 12345,
      decision: 'accepted',
      reason: null,
    },
  },
  'badge-scanning',
);
const [before, after] = JSON.stringify(sample).split(SAMPLE_SCAN_ID) as [string, string];
const HEADERS = { [HEADER_TYPE]: sample.type, [HEADER_SCHEMA_VERSION]: String(sample.schemaVersion) };
const recordOf = (scanId: string) => ({ key: scanId, value: `${before}${scanId}${after}`, headers: HEADERS });

const resultOf = (scanId: string, occupancy: number): ScanResult => ({
  scanId,
  decision: 'accepted',
  reason: null,
  zoneId: 'hall-12',
  occupancy,
  capacity: null,
  replayed: false,
  badge: { badgeId: 'bdg-123456', category: 'professional_visitor', displayName: 'Visitor 123456' },
});

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });

const app = Fastify({ logger: false });
app.setValidatorCompiler(validatorCompiler);
// Responses: fastify's own serializer compiler (fast-json-stringify) on the JSON Schema, which is
// what service-kit's responseSerializerCompiler compiles a zod response schema into.
const scanSchema = { body: ScanRequest, response: { 200: jsonSchema(ScanResult) } };

async function scan(body: ScanRequest): Promise<ScanResult> {
  const [count] = await run([body.scanId]);
  await producer.sendRaw(TOPIC, [recordOf(body.scanId)]);
  return resultOf(body.scanId, count!);
}

app.post('/v1/scans', { schema: scanSchema }, async (request) => scan(request.body as ScanRequest));

app.post(
  '/v1/scans/batch',
  { bodyLimit: 4 * 1024 * 1024, schema: { body: ScanBatchRequest, response: { 200: jsonSchema(ScanBatchResponse) } } },
  async (request) => {
    const { scans } = request.body as ScanBatchRequest;
    const chunks: Array<Promise<number[]>> = [];
    for (let from = 0; from < scans.length; from += SCRIPT_CHUNK) chunks.push(run(scans.slice(from, from + SCRIPT_CHUNK).map((s) => s.scanId)));
    const counts = (await Promise.all(chunks)).flat();
    await producer.sendRaw(
      TOPIC,
      scans.map((s) => recordOf(s.scanId)),
    );
    return { results: scans.map((s, i) => resultOf(s.scanId, counts[i]!)) };
  },
);

// The service's limiter (src/plugins/scan-rate-limit.ts), keyed by the device's key instead of the
// device its auth resolved.
await app.register(rateLimit, {
  global: false,
  redis,
  nameSpace: `${TAG}:ratelimit:`,
  keyGenerator: (request) => `${request.headers.authorization ?? ''}:scans`,
  max: PER_MINUTE,
  timeWindow: 60_000,
  skipOnError: false,
});
const check = app.createRateLimit();
app.post(
  '/limited/v1/scans',
  {
    onRequest: async (request) => {
      const result = await check(request);
      if (!result.isAllowed && result.isExceeded) throw Object.assign(new Error('over the per-device limit'), { statusCode: 429 });
    },
    schema: scanSchema,
  },
  async (request) => scan(request.body as ScanRequest),
);

app.addHook('onClose', async () => {
  await producer.disconnect();
  redis.disconnect();
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
await app.listen({ port: Number(env('PORT')), host: '127.0.0.1' });
