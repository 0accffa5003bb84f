import type { ZoneOccupancy } from '@expo/schemas';

export type OccupancyListener = (changes: readonly ZoneOccupancy[]) => void;

/**
 * Pushes occupancy changes to stream clients. One poll of Redis per interval serves every client
 * of this instance and sees the changes of every instance; changes within an interval coalesce
 * into one event per zone, so a busy hall costs the stream nothing more and a slow client never
 * holds up a scan (it only ever receives the latest counts). Polls only while someone listens.
 */
export class OccupancyFeed {
  private readonly listeners = new Set<OccupancyListener>();
  private last = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly read: () => Promise<ZoneOccupancy[]>,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Subscribes; the listener first gets every zone, then changes. Returns the unsubscribe. */
  async subscribe(listener: OccupancyListener): Promise<() => void> {
    const zones = await this.read();
    if (this.listeners.size === 0) this.last = new Map(zones.map((z) => [z.zoneId, `${z.occupancy}|${z.capacity}`]));
    listener(zones);
    this.listeners.add(listener);
    this.timer ??= setInterval(() => void this.poll(), this.intervalMs);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.last = new Map();
  }

  private polling = false;

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const zones = await this.read();
      const changed = zones.filter((z) => this.last.get(z.zoneId) !== `${z.occupancy}|${z.capacity}`);
      this.last = new Map(zones.map((z) => [z.zoneId, `${z.occupancy}|${z.capacity}`]));
      if (changed.length > 0) for (const listener of this.listeners) listener(changed);
    } catch (error) {
      this.onError(error);
    } finally {
      this.polling = false;
    }
  }
}
