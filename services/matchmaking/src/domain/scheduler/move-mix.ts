/** The local search's kinds of move. */
export const MOVE = 0;
export const SWAP = 1;
export const KEMPE = 2;

const KINDS = 3;
/** Moves between two updates of the shares. */
const ADAPT_EVERY = 4096;
/** Each kind keeps this share at least, so a change of phase is noticed. */
const FLOOR = 0.1;

/**
 * How often each kind of move is drawn, following how often each has improved the schedule
 * lately (counts halved at each update). With few free tables Kempe chains do most of the work,
 * with many the plain moves do, and no fixed mix suits both (bench/results).
 */
export class MoveMix {
  private readonly share = Float64Array.from([0.4, 0.3, 0.3]);
  private readonly tries = new Float64Array(KINDS).fill(1);
  private readonly gains = new Float64Array(KINDS).fill(0.1);
  private count = 0;

  draw(random: () => number): number {
    const r = random();
    if (r < this.share[KEMPE]!) return KEMPE;
    return r < this.share[KEMPE]! + this.share[SWAP]! ? SWAP : MOVE;
  }

  record(kind: number, improved: boolean): void {
    this.tries[kind]!++;
    if (improved) this.gains[kind]!++;
    if (++this.count % ADAPT_EVERY !== 0) return;
    const rates = Array.from({ length: KINDS }, (_, k) => this.gains[k]! / this.tries[k]!);
    const sum = rates.reduce((a, b) => a + b, 0);
    for (let k = 0; k < KINDS; k++) {
      this.share[k] = FLOOR + (1 - KINDS * FLOOR) * (sum > 0 ? rates[k]! / sum : 1 / KINDS);
      this.tries[k]! *= 0.5;
      this.gains[k]! *= 0.5;
    }
  }
}
