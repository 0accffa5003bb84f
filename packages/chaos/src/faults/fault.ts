import type { ChaosPlatform, ServiceName } from '../platform/chaos-platform.ts';
import type { ScannerClocks } from '../workload/scanner-clocks.ts';

/** What a fault may act on. */
export interface FaultContext {
  readonly platform: ChaosPlatform;
  readonly clocks: ScannerClocks;
  readonly log: (line: string) => void;
}

/**
 * One fault of the schedule: `inject` starts it (answering what exactly it did), the fault lasts
 * `holdMs` under load, `heal` ends it. The services are expected to come back by themselves.
 */
export interface Fault {
  /** The kind, as the report's table names it. */
  readonly kind: FaultKind;
  readonly holdMs: number;
  inject(ctx: FaultContext): Promise<string>;
  heal(ctx: FaultContext): Promise<void>;
}

export const FAULT_KINDS = [
  'instance-crash',
  'instance-pause',
  'broker-crash',
  'redis-restart-empty',
  'redis-stale-failover',
  'redis-latency',
  'kafka-latency',
  'dropped-connections',
  'clock-skew',
  'kafka-leader-crash',
  'redis-primary-crash',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export type { ServiceName };
