interface Waiting<T> {
  readonly item: T;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Gathers the records that one partition's concurrent handlers hand over in the same turn of the
 * event loop and applies them with one call (one Lua script: atomic for all of them). Each handler
 * resolves when its record is applied, so the consumer commits only what Redis holds; when the call
 * fails, every record of it fails and is retried by the consumer (none of them was applied).
 */
export class Batcher<T> {
  readonly #queues = new Map<string, Waiting<T>[]>();

  constructor(
    private readonly applyBatch: (group: string, items: T[]) => Promise<void>,
    /** Failures that say nothing about the records (Redis unreachable): no point in splitting. */
    private readonly isTransient: (error: unknown) => boolean = () => false,
    private readonly maxBatch = 128,
  ) {}

  add(group: string, item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let queue = this.#queues.get(group);
      if (!queue) {
        queue = [];
        this.#queues.set(group, queue);
        setImmediate(() => void this.#flush(group));
      }
      queue.push({ item, resolve, reject });
      if (queue.length >= this.maxBatch) void this.#flush(group);
    });
  }

  async #flush(group: string): Promise<void> {
    const queue = this.#queues.get(group);
    if (!queue || queue.length === 0) return;
    this.#queues.delete(group);
    try {
      await this.applyBatch(
        group,
        queue.map((w) => w.item),
      );
      for (const w of queue) w.resolve();
    } catch (error) {
      if (queue.length === 1 || this.isTransient(error)) {
        for (const w of queue) w.reject(error);
        return;
      }
      // One bad record must not take its batch to the dead-letter topic with it: apply each alone.
      for (const w of queue) {
        await this.applyBatch(group, [w.item]).then(
          () => w.resolve(),
          (e: unknown) => w.reject(e),
        );
      }
    }
  }
}
