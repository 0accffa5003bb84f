import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/consumers/batcher.ts';

describe('Batcher', () => {
  it('applies what is handed over in one turn with one call, per group', async () => {
    const calls: Array<[string, number[]]> = [];
    const batcher = new Batcher<number>(async (group, items) => void calls.push([group, items]));
    await Promise.all([batcher.add('p0', 1), batcher.add('p0', 2), batcher.add('p1', 3), batcher.add('p0', 4)]);
    expect(calls).toEqual([
      ['p0', [1, 2, 4]],
      ['p1', [3]],
    ]);
  });

  it('fails only the record that cannot be applied, not its whole batch', async () => {
    const applied: number[] = [];
    const batcher = new Batcher<number>(async (_group, items) => {
      if (items.includes(13)) throw new Error('bad record');
      applied.push(...items);
    });
    const outcomes = await Promise.allSettled([12, 13, 14].map((n) => batcher.add('p0', n)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(applied).toEqual([12, 14]);
  });

  it('fails the whole batch at once when the store is unreachable', async () => {
    let calls = 0;
    const batcher = new Batcher<number>(
      async () => {
        calls++;
        throw new Error('down');
      },
      () => true,
    );
    const outcomes = await Promise.allSettled([1, 2, 3].map((n) => batcher.add('p0', n)));
    expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
  });
});
