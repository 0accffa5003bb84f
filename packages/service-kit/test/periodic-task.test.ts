import { describe, expect, it, vi } from 'vitest';
import { registerPeriodicTask } from '../src/index.ts';
import { buildTestApp } from './helper.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('registerPeriodicTask', () => {
  it('repeats once the app is ready, never two passes at once, and close waits for the pass in progress', async () => {
    const { app } = await buildTestApp();
    let running = 0;
    let overlapped = false;
    let passes = 0;
    let finishedAfterClose = false;
    let closing = false;
    registerPeriodicTask(app, {
      name: 'slow pass',
      everyMs: 5,
      run: async () => {
        running++;
        overlapped ||= running > 1;
        await sleep(30);
        running--;
        passes++;
        if (closing) finishedAfterClose = true;
      },
    });
    await app.ready();
    await vi.waitFor(() => expect(passes).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    await vi.waitFor(() => expect(running).toBe(1), { timeout: 5000 });
    closing = true;
    await app.close();
    expect(running).toBe(0);
    expect(finishedAfterClose).toBe(true);
    expect(overlapped).toBe(false);
    const after = passes;
    await sleep(50);
    expect(passes).toBe(after);
  });

  it('skips passes while `when` says no, and logs a failed pass and runs again', async () => {
    const { app, logs } = await buildTestApp();
    let allowed = false;
    let calls = 0;
    registerPeriodicTask(app, {
      name: 'flaky pass',
      everyMs: 5,
      when: () => allowed,
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('Kafka did not answer');
      },
    });
    await app.ready();
    await sleep(40);
    expect(calls).toBe(0);
    allowed = true;
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2), { timeout: 5000 });
    await app.close();
    const warning = logs.lines.find((l) => l.task === 'flaky pass');
    expect(warning).toMatchObject({ level: 40, msg: 'flaky pass failed; it runs again in 5 ms' });
  });

  it('runs nothing before the app is ready', async () => {
    const { app } = await buildTestApp();
    let calls = 0;
    registerPeriodicTask(app, { name: 'early', everyMs: 1, run: async () => void calls++ });
    await sleep(30);
    expect(calls).toBe(0);
    await app.close();
  });
});
