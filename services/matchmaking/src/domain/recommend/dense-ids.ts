/** String ids ↔ dense numbers, so per-request sums live in typed arrays instead of string-keyed maps. */
export class DenseIds {
  private readonly numbers = new Map<string, number>();
  readonly ids: string[] = [];

  of(id: string): number {
    let n = this.numbers.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.numbers.set(id, n);
      this.ids.push(id);
    }
    return n;
  }

  find(id: string): number | undefined {
    return this.numbers.get(id);
  }

  get size(): number {
    return this.ids.length;
  }
}

/**
 * Points summed per candidate during one request, and which candidates were touched, reused
 * between requests (requests run one at a time on the event loop).
 */
export class Accumulator {
  private points = new Float64Array(1024);
  private areas = new Int32Array(1024);
  private touched = new Int32Array(1024);
  private count = 0;

  private grow(n: number): void {
    if (n < this.points.length) return;
    const size = Math.max(n + 1, this.points.length * 2);
    const points = new Float64Array(size);
    points.set(this.points);
    const areas = new Int32Array(size);
    areas.set(this.areas);
    const touched = new Int32Array(size);
    touched.set(this.touched);
    this.points = points;
    this.areas = areas;
    this.touched = touched;
  }

  add(n: number, points: number): void {
    this.grow(n);
    if (this.points[n] === 0 && this.areas[n] === 0) this.touched[this.count++] = n;
    this.points[n]! += points;
    // A touched candidate with 0 points must not be listed twice: mark it as seen.
    this.areas[n]! |= 1 << 30;
  }

  markArea(n: number, bit: number): void {
    this.grow(n);
    this.areas[n]! |= bit;
  }

  hasArea(n: number, bit: number): boolean {
    return n < this.areas.length && (this.areas[n]! & bit) !== 0;
  }

  /** Visits every touched candidate with its points, then clears for the next request. */
  drain(visit: (n: number, points: number) => void): void {
    for (let i = 0; i < this.count; i++) {
      const n = this.touched[i]!;
      visit(n, this.points[n]!);
    }
    for (let i = 0; i < this.count; i++) {
      const n = this.touched[i]!;
      this.points[n] = 0;
      this.areas[n] = 0;
    }
    this.count = 0;
  }
}
