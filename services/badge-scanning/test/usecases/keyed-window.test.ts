import { describe, expect, it } from 'vitest';
import { KeyedWindow } from '../../src/usecases/keyed-window.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedWindow', () => {
  it('keeps one key in order while other keys overlap, and never holds more than its width', async () => {
    const window = new KeyedWindow(3);
    const done: string[] = [];
    let running = 0;
    let most = 0;
    const item = (name: string, ms: number) => async () => {
      most = Math.max(most, ++running);
      await tick(ms);
      running--;
      done.push(name);
    };
    await window.add('a', item('a1', 30));
    await window.add('b', item('b1', 5));
    await window.add('a', item('a2', 1));
    await window.add('c', item('c1', 5));
    await window.drain();
    expect(done.indexOf('a1')).toBeLessThan(done.indexOf('a2'));
    expect(done.indexOf('b1')).toBeLessThan(done.indexOf('a1'));
    expect(most).toBeLessThanOrEqual(3);
    expect(done).toHaveLength(4);
  });

  it('fails the rebuild with the first error instead of going on silently', async () => {
    const window = new KeyedWindow(10);
    await window.add('a', () => Promise.reject(new Error('Redis went away')));
    await expect(window.drain()).rejects.toThrow('Redis went away');
  });
});
