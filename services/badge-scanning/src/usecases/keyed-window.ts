/**
 * Runs work items up to `width` at a time, those of one key one after another in the order given:
 * records of a log applied with their round trips overlapped, without reordering any key's records.
 * The first failure is thrown by the next `add` or by `drain`.
 */
export class KeyedWindow {
  readonly #inFlight = new Map<string, Promise<void>>();
  #failure: { error: unknown } | null = null;

  constructor(private readonly width: number) {}

  async add(key: string, work: () => Promise<void>): Promise<void> {
    this.#throwIfFailed();
    const before = this.#inFlight.get(key);
    const run: Promise<void> = (before ? before.then(work) : work())
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => {
        if (this.#inFlight.get(key) === run) this.#inFlight.delete(key);
      });
    this.#inFlight.set(key, run);
    if (this.#inFlight.size >= this.width) await this.drain();
  }

  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight.values());
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
