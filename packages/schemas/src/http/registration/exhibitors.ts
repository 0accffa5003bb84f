import { z } from 'zod';
import { Exhibitor, Product } from '../../events/exhibitors.ts';
import { Id } from '../../primitives.ts';

/** A product as an admin enters it; registration assigns `productId` when it is left out. */
export const ProductInput = Product.extend({ productId: Id.optional(), debut: z.boolean().default(false) });
export type ProductInput = z.input<typeof ProductInput>;

/** `POST /v1/exhibitors` (admin). Flags default to false; registration assigns `exhibitorId`. */
export const RegisterExhibitorBody = Exhibitor.omit({ exhibitorId: true }).extend({
  fortuneGlobal500: z.boolean().default(false),
  leastDevelopedCountry: z.boolean().default(false),
  products: z.array(ProductInput).max(500).default([]),
});
export type RegisterExhibitorBody = z.infer<typeof RegisterExhibitorBody>;

/** 201: the exhibitor, and its API key, shown this once (only a hash is kept). */
export const RegisterExhibitorResponse = Exhibitor.extend({ exhibitorKey: z.string().min(16) });
export type RegisterExhibitorResponse = z.infer<typeof RegisterExhibitorResponse>;

/** docs/http.md names this parameter `:id`. */
export const ExhibitorParams = z.object({ id: Id });
export type ExhibitorParams = z.infer<typeof ExhibitorParams>;

export const ExhibitorResponse = Exhibitor;
export type ExhibitorResponse = z.infer<typeof ExhibitorResponse>;
