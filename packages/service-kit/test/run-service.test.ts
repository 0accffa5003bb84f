import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { afterEach, describe, expect, it } from 'vitest';
import { closeWithGrace, runService, type ServiceApp } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

function resource(name: string, closed: string[], closeMs = 0) {
  return fp(
    (instance: FastifyInstance, _opts: unknown, done: () => void) => {
      instance.addHook('onClose', async () => {
        await new Promise((resolve) => setTimeout(resolve, closeMs));
        closed.push(name);
      });
      done();
    },
    { name },
  );
}

describe('graceful close', () => {
  it('closes consumers, then producers, then Redis when registered in the opposite order', async () => {
    ({ app } = await buildTestApp());
    const closed: string[] = [];
    await app.register(resource('redis', closed));
    await app.register(resource('producer', closed));
    await app.register(resource('consumers', closed));
    expect(await closeWithGrace(app, 5000)).toBe('closed');
    expect(closed).toEqual(['consumers', 'producer', 'redis']);
  });

  it('gives up after the grace period when a close hook hangs', async () => {
    ({ app } = await buildTestApp());
    await app.register(resource('stuck', [], 10_000));
    const started = Date.now();
    expect(await closeWithGrace(app, 100)).toBe('timed_out');
    expect(Date.now() - started).toBeLessThan(1000);
    app = undefined;
  });

  it('runService listens, and on a signal closes the app and exits 0', async () => {
    const built = await buildTestApp();
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => {
      exit = resolve;
    });
    await runService(built.app, { port: 0, host: '127.0.0.1', signals: ['SIGUSR2'], exit });
    const { port } = built.app.server.address() as AddressInfo;
    expect(port).toBeGreaterThan(0);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(await exited).toBe(0);
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
