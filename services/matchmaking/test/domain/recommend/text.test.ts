import { describe, expect, it } from 'vitest';
import { terms } from '../../../src/domain/recommend/text.ts';

describe('terms', () => {
  it('lower-cases, drops stop words and stems English plurals', () => {
    expect(terms('Tractors and the Batteries for Boxes')).toEqual(['tractor', 'battery', 'box']);
  });

  it('cuts Chinese into overlapping character bigrams, a lone character kept whole', () => {
    expect(terms('咖啡豆')).toEqual(['咖啡', '啡豆']);
    expect(terms('茶 green tea')).toEqual(['茶', 'green', 'tea']);
  });

  it('normalises full-width forms so ＡＢＣ matches abc', () => {
    expect(terms('ＡＢＣ１２')).toEqual(['abc12']);
  });
});
