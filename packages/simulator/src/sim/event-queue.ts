/** Something that happens at a simulated instant; `locks` name the agents it must act alone on. */
export interface SimEvent<T> {
  readonly at: number;
  readonly locks: readonly string[];
  readonly data: T;
}

interface Entry<T> {
  readonly event: SimEvent<T>;
  readonly seq: number;
}

/**
 * Events in time order (ties in the order they were added, so a run is reproducible), with a
 * way to skip past events whose agent is still busy with an earlier action.
 */
export class EventQueue<T> {
  private heap: Array<Entry<T>> = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(event: SimEvent<T>): void {
    this.heap.push({ event, seq: this.seq++ });
    this.up(this.heap.length - 1);
  }

  peekTime(): number | null {
    return this.heap[0]?.event.at ?? null;
  }

  /** The earliest event none of whose locks is held; the ones skipped stay queued. */
  popFree(held: ReadonlySet<string>): SimEvent<T> | null {
    const skipped: Array<Entry<T>> = [];
    let found: SimEvent<T> | null = null;
    while (this.heap.length > 0) {
      const entry = this.popEntry();
      if (entry.event.locks.some((l) => held.has(l))) {
        skipped.push(entry);
        continue;
      }
      found = entry.event;
      break;
    }
    for (const entry of skipped) {
      this.heap.push(entry);
      this.up(this.heap.length - 1);
    }
    return found;
  }

  private popEntry(): Entry<T> {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.event.at < y.event.at || (x.event.at === y.event.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < this.heap.length && this.less(left, smallest)) smallest = left;
      if (right < this.heap.length && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }
}
