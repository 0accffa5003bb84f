/**
 * The scanners' clocks as the workload sets them: a skew (ms, either sign) added to the device
 * time of every online scan while a clock-skew fault lasts. Offline batches keep the times the
 * devices decided with, so the simulator's ground truth of stale offline scans stays exact.
 */
export class ScannerClocks {
  skewMs = 0;

  /** The device time a scanner with the current skew would send for a scan made at `iso`. */
  shift(iso: string): string {
    return this.skewMs === 0 ? iso : new Date(Date.parse(iso) + this.skewMs).toISOString();
  }
}
