import { describe, expect, it } from 'vitest';
import { TaxonomyResponse } from '../../../src/http/registration/taxonomy.ts';
import { SECTOR_AREAS } from '../../../src/vocab/sectors.ts';

describe('GET /v1/taxonomy', () => {
  it('serves the sector tree as the vocabulary holds it', () => {
    expect(TaxonomyResponse.parse({ areas: SECTOR_AREAS })).toEqual({ areas: SECTOR_AREAS });
  });
});
