import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { choosePort, freePort } from '../src/ports.ts';

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
