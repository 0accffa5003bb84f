import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './error-codes.ts';
import type { ErrorDetail } from './app-error.ts';

/** The contract's error body; declare it in route `response` schemas for 4xx/5xx answers. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.array(z.record(z.string(), z.unknown())),
    }),
  })
  .meta({ id: 'ErrorBody' });

export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export function errorBody(code: ErrorCode, message: string, details: readonly ErrorDetail[] = []): ErrorBody {
  return { error: { code, message, details: details.map((d) => ({ ...d })) } };
}
