/**
 * The scanners' clocks as the workload sets them: a skew (ms, either sign) the simulator adds to
 * the device time of every scan made while a clock-skew fault lasts, online or queued offline. The
 * simulator's belief uses the same times, as the platform orders a badge's moves by device time: a
 * skew only one of them saw would turn an honest offline scan into a "stale" one in one of them.
 */
export class ScannerClocks {
  skewMs = 0;
}
