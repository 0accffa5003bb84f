import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { kafkaBrokers, testNames } from '@expo/testkit';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../src/failure.ts';
import { createKafka } from '../src/kafka.ts';
import { BusProducer } from '../src/producer.ts';
import { thingsTopic } from './fixtures/contract.ts';

/** A port on 127.0.0.1 where nothing listens: a broker that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const rejection = (work: Promise<unknown>) =>
  work.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );

describe('the bus’s failure classes, against real errors', () => {
  it('a send to a broker that is down times out: retryable, for the record is not at fault', async () => {
    const names = testNames('failure-send');
    const topic = await thingsTopic(names, { partitions: 1 });
    const producer = new BusProducer(createKafka({ brokers: `127.0.0.1:${await closedPort()}`, clientId: 'failure-test', connectionTimeoutMs: 200 }), {
      source: 'test',
      sendTimeoutMs: 300,
    });
    try {
      const error = await rejection(producer.send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 't', n: 1 } }]));
      expect(classifyFailure(error)).toEqual({ retryable: true, code: 'kafka_send_timeout' });
    } finally {
      await producer.disconnect();
    }
  });

  it('an event built against its schema, or a record the broker refuses as too large, is not retryable', async () => {
    const names = testNames('failure-invalid');
    const topic = await thingsTopic(names, { partitions: 1 });
    const producer = new BusProducer(createKafka({ brokers: kafkaBrokers(), clientId: 'failure-test' }), { source: 'test', sendTimeoutMs: 10_000 });
    try {
      const invalid = await rejection(producer.send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 't', n: -1 } }]));
      expect(classifyFailure(invalid)).toEqual({ retryable: false, code: 'event_invalid' });
      const huge = await rejection(
        producer.send(topic, [{ type: 'thing.counted', eventId: names.expoId, data: { thingId: 't', n: 1, note: 'x'.repeat(2_000_000) } }]),
      );
      expect(classifyFailure(huge)).toEqual({ retryable: false, code: 'kafka_record_refused' });
    } finally {
      await producer.disconnect();
    }
  });

  it('kafkajs’s own errors and Node’s network errors are retryable; an error nobody knows is not', async () => {
    const down = createKafka({ brokers: `127.0.0.1:${await closedPort()}`, clientId: 'failure-test', connectionTimeoutMs: 200 }, { retry: { retries: 0 } });
    const admin = down.admin({ retry: { retries: 0 } });
    expect(classifyFailure(await rejection(admin.connect()))).toEqual({ retryable: true, code: 'kafka' });
    const socket = connect(await closedPort(), '127.0.0.1');
    const [refused] = (await once(socket, 'error')) as [Error];
    expect(classifyFailure(refused)).toEqual({ retryable: true, code: 'network' });
    expect(classifyFailure(new Error('the broker connection is fine, this record is not'))).toEqual({ retryable: false, code: 'handler_error' });
    expect(classifyFailure(Object.assign(new Error('declared'), { retryable: true, code: 'my_dependency' }))).toEqual({
      retryable: true,
      code: 'my_dependency',
    });
  });
});
