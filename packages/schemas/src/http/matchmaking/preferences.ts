import { z } from 'zod';
import { IsoDateTime } from '../../event.ts';
import { Id } from '../../primitives.ts';

/** `no` from either side removes the pair from recommendations and scheduling. */
export const PREFERENCE_LEVELS = ['must', 'nice', 'no'] as const;
export const PreferenceLevel = z.enum(PREFERENCE_LEVELS);
export type PreferenceLevel = z.infer<typeof PreferenceLevel>;

/** `PUT /v1/preferences`: one party's wish about meeting another (a buyer or an exhibitor id each). */
export const PreferenceBody = z.object({ fromId: Id, toId: Id, level: PreferenceLevel });
export type PreferenceBody = z.infer<typeof PreferenceBody>;

export const PreferenceResponse = PreferenceBody.extend({ updatedAt: IsoDateTime });
export type PreferenceResponse = z.infer<typeof PreferenceResponse>;
