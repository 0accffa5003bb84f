import type { ScanRequest } from '@expo/schemas';
import type { Random } from '../random.ts';

export interface QueuedScan {
  readonly scan: ScanRequest;
  readonly visitorIndex: number;
  readonly zoneId: string;
  readonly atMs: number;
}

interface Device {
  readonly gateId: string;
  readonly zoneId: string;
  readonly deviceKey: string;
  offline: { from: number; to: number } | null;
  queue: QueuedScan[];
}

/**
 * The scanners at the gates. Some lose their network for a while each day: they go on deciding
 * on their own, queue what they scanned and upload it as one batch when they are back.
 */
export class ScannerFleet {
  private readonly devices = new Map<string, Device>();

  constructor(devices: ReadonlyArray<{ gateId: string; zoneId: string; deviceKey: string }>) {
    for (const d of devices) this.devices.set(d.gateId, { ...d, offline: null, queue: [] });
  }

  has(gateId: string): boolean {
    return this.devices.has(gateId);
  }

  device(gateId: string): Device {
    const device = this.devices.get(gateId);
    if (!device) throw new Error(`no scanner at gate ${gateId}`);
    return device;
  }

  /** Chooses today's outages; answers when each device comes back (and uploads). */
  planOutages(random: Random, dayStartMs: number, share: number, minutes: readonly [number, number] = [10, 45]): Array<{ gateId: string; at: number }> {
    const back: Array<{ gateId: string; at: number }> = [];
    for (const device of this.devices.values()) {
      device.offline = null;
      if (!random.chance(share)) continue;
      const from = dayStartMs + random.int(9 * 60, 15 * 60) * 60_000;
      const to = from + random.int(minutes[0], minutes[1]) * 60_000;
      device.offline = { from, to };
      back.push({ gateId: device.gateId, at: to });
    }
    return back;
  }

  isOffline(gateId: string, atMs: number): boolean {
    const window = this.device(gateId).offline;
    return window !== null && atMs >= window.from && atMs < window.to;
  }

  enqueue(gateId: string, entry: QueuedScan): void {
    this.device(gateId).queue.push(entry);
  }

  /** Ends the outage and hands over what the device queued. */
  reconnect(gateId: string): QueuedScan[] {
    const device = this.device(gateId);
    device.offline = null;
    const queued = device.queue;
    device.queue = [];
    return queued;
  }

  pending(): number {
    let n = 0;
    for (const d of this.devices.values()) n += d.queue.length;
    return n;
  }
}
