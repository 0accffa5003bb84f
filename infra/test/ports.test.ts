import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InfraError, PortLostError } from '../src/errors.ts';
import { choosePort, freePort, restartOnLostPort } from '../src/ports.ts';

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

function occupy(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      servers.push(server);
      resolve((server.address() as { port: number }).port);
    });
  });
}

describe('choosing ports', () => {
  it('names a port that was asked for and is taken', async () => {
    const taken = await occupy();
    await expect(choosePort('Kafka', taken)).rejects.toThrow(`Kafka: port ${taken} is already in use`);
  });

  it('falls back to a free port when the preferred one is taken', async () => {
    const taken = await occupy();
    const chosen = await choosePort('Redis', undefined, taken);
    expect(chosen).not.toBe(taken);
    expect(chosen).toBeGreaterThan(0);
  });

  it('never hands back a port the caller already chose, even one the OS just released', async () => {
    const first = await freePort();
    for (let i = 0; i < 50; i += 1) expect(await freePort([first])).not.toBe(first);
  });
});

describe('starting again after a lost port', () => {
  it('starts again on a lost port up to three times, and says so', async () => {
    const lines: string[] = [];
    let tries = 0;
    const started = await restartOnLostPort(
      'Redis',
      undefined,
      async () => {
        tries += 1;
        if (tries < 3) throw new PortLostError('Address already in use');
        return 'up';
      },
      (line) => lines.push(line),
    );
    expect(started).toBe('up');
    expect(lines).toEqual([
      'Redis lost its port to another process; starting again on new ports (Address already in use)',
      'Redis lost its port to another process; starting again on new ports (Address already in use)',
    ]);
  });

  it('gives up after the third lost port, and at once on an explicit port or another failure', async () => {
    let tries = 0;
    const lose = async () => {
      tries += 1;
      throw new PortLostError('Address already in use');
    };
    await expect(restartOnLostPort('Kafka', undefined, lose)).rejects.toThrow('Address already in use');
    expect(tries).toBe(3);
    tries = 0;
    await expect(restartOnLostPort('Kafka', 9092, lose)).rejects.toBeInstanceOf(PortLostError);
    expect(tries).toBe(1);
    tries = 0;
    await expect(
      restartOnLostPort('Kafka', undefined, async () => {
        tries += 1;
        throw new InfraError('Kafka needs Java 17');
      }),
    ).rejects.toThrow('Kafka needs Java 17');
    expect(tries).toBe(1);
  });
});
