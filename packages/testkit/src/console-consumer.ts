import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { kafkaLibDir, requireJava } from '@expo/infra';

/**
 * Reads `maxMessages` record values with Apache Kafka's own console consumer (the class behind
 * kafka-console-consumer.sh, from the broker's jars): how a consumer outside this code base, in
 * another language, sees our records.
 */
export async function consoleConsume(brokers: string, topic: string, maxMessages: number, timeoutMs = 30_000): Promise<string[]> {
  const { executable } = requireJava();
  const args = [
    '-cp',
    join(kafkaLibDir(), '*'),
    'org.apache.kafka.tools.consumer.ConsoleConsumer',
    '--bootstrap-server',
    brokers,
    '--topic',
    topic,
    '--from-beginning',
    '--max-messages',
    String(maxMessages),
    '--timeout-ms',
    String(timeoutMs),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      const lines = out.split('\n').filter((l) => l.trim().length > 0);
      if (code === 0 && lines.length >= maxMessages) resolve(lines);
      else reject(new Error(`console consumer exited ${code} with ${lines.length} records:\n${err.slice(-2000)}`));
    });
  });
}
