import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../../../src/domain/recommend/bm25.ts';
import { terms } from '../../../src/domain/recommend/text.ts';

describe('Bm25Index', () => {
  const index = new Bm25Index();
  index.set(1, terms('milk powder milk powder infant formula'));
  index.set(2, terms('milk chocolate bar with hazelnuts and cocoa from ghana'));
  index.set(3, terms('industrial robot arm'));

  it('ranks the document where the query terms are frequent and rare above a passing mention', () => {
    const query = terms('milk powder');
    expect(index.score(1, query)).toBeGreaterThan(index.score(2, query));
    expect(index.score(2, query)).toBeGreaterThan(0);
    expect(index.score(3, query)).toBe(0);
  });

  it('follows the collection as documents change and leave', () => {
    const before = index.idf('robot');
    index.set(4, terms('service robot'));
    expect(index.idf('robot')).toBeLessThan(before);
    index.remove(4);
    expect(index.idf('robot')).toBeCloseTo(before, 12);
    expect(index.postingsOf('service')).toBeUndefined();
  });
});
