import { afterEach, describe, expect, it } from 'vitest';
import { kafkaBrokers, testNames } from '@expo/testkit';
import { createKafka } from '../src/kafka.ts';
import { thingsTopic } from './fixtures/contract.ts';
import { CuttableSockets } from './fixtures/cuttable-sockets.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Settles as a failure if anything is thrown out of a callback while the test runs: kafkajs parses
 * responses in its socket's 'data' handler, where a throw is uncaught and, in a service, ends the process.
 */
function failOnUncaughtException(): Promise<never> {
  return new Promise<never>((_, reject) => {
    const listener = (error: Error) => reject(new Error(`kafkajs threw out of its socket's data handler, which ends a service's process: ${error.stack}`));
    process.on('uncaughtException', listener);
    cleanups.push(() => void process.off('uncaughtException', listener));
  });
}

// The chaos run's badge-scanning crash (ERR_BUFFER_OUT_OF_BOUNDS in Decoder.readInt32 from
// Connection.processData): kafkajs kept a reset socket's partial response buffered, and parsed
// the next socket's first response behind it (kafkajs#715; patches/kafkajs@2.2.4.patch).
describe('a Kafka connection reset in the middle of a response', () => {
  it('neither crashes the process nor garbles the next response (kafkajs#715)', async () => {
    const names = testNames('reset-mid-response');
    const topic = await thingsTopic(names, { partitions: 3 });
    const sockets = new CuttableSockets();
    const admin = createKafka(
      { brokers: kafkaBrokers(), clientId: 'reset-mid-response' },
      // Without the fix the request after the cut is never answered: disconnect waits for it to time out.
      { socketFactory: sockets.factory, requestTimeout: 5_000 },
    ).admin();
    cleanups.push(() => admin.disconnect());
    await admin.connect();
    const crashed = failOnUncaughtException();
    crashed.catch(() => undefined);

    // Only the first 2 bytes of the response's size reach kafkajs before the reset: the request fails.
    sockets.cutMidResponse(2);
    await Promise.race([admin.fetchTopicMetadata({ topics: [topic.name] }).catch(() => undefined), crashed]);
    expect(sockets.midResponseCuts, 'the connection was reset in the middle of a response').toBe(1);

    // The same broker connection, on a new socket, answers the next request whole.
    const answer = await Promise.race([admin.fetchTopicMetadata({ topics: [topic.name] }), crashed]);
    expect(answer.topics.map((t) => ({ name: t.name, partitions: t.partitions.length }))).toEqual([{ name: topic.name, partitions: 3 }]);
  });
});
