import { z } from 'zod';

/** `in` moves a badge from a gate's parent zone into the gate's zone; `out` moves it back. */
export const SCAN_DIRECTIONS = ['in', 'out'] as const;
export const ScanDirection = z.enum(SCAN_DIRECTIONS);
export type ScanDirection = z.infer<typeof ScanDirection>;
