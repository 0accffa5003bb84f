import type { ScanResult } from '@expo/schemas';

/**
 * A replay the client caused itself, by sending again a scan whose first attempt took effect
 * unanswered (a 503 after a write of unknown fate, a dropped connection), is for the client the
 * first answer: the move happened, and the simulator follows it (a replay of an earlier scan it
 * would not).
 */
export function ownReplay(result: ScanResult, attempts: number): ScanResult {
  return result.replayed && attempts > 1 ? { ...result, replayed: false } : result;
}
