import { z } from 'zod';

export const SCAN_DECISIONS = ['accepted', 'rejected'] as const;
export const ScanDecision = z.enum(SCAN_DECISIONS);
export type ScanDecision = z.infer<typeof ScanDecision>;

/** Why a scan was rejected, exactly as docs/http.md lists them: scanners switch on these codes. */
export const REJECTION_REASONS = [
  'invalid_token',
  'expired_badge',
  'revoked',
  'wrong_event',
  'not_valid_today',
  'zone_not_allowed',
  'capacity_full',
  'already_inside',
  'not_inside',
] as const;
export const RejectionReason = z.enum(REJECTION_REASONS);
export type RejectionReason = z.infer<typeof RejectionReason>;
