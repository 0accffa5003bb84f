import { z } from 'zod';
import { SectorAreaCode, SectorCode } from '../../vocab/sectors.ts';

const Label = { en: z.string().min(1), zh: z.string().min(1) };

/** `GET /v1/taxonomy`: the sector tree with both labels; `SECTOR_AREAS` has exactly this shape. */
export const TaxonomyResponse = z.object({
  areas: z.array(
    z.object({
      code: SectorAreaCode,
      ...Label,
      categories: z.array(z.object({ code: SectorCode, ...Label })),
    }),
  ),
});
export type TaxonomyResponse = z.infer<typeof TaxonomyResponse>;
