/** The k best items seen so far, best first: a short sorted array beats sorting thousands of candidates. */
export class TopK {
  readonly items: Array<{ id: string; score: number }> = [];

  constructor(private readonly k: number) {}

  get floor(): number {
    return this.items.length < this.k ? -Infinity : this.items[this.items.length - 1]!.score;
  }

  offer(id: string, score: number): void {
    if (score <= this.floor) return;
    let at = this.items.length;
    while (at > 0 && this.items[at - 1]!.score < score) at--;
    this.items.splice(at, 0, { id, score });
    if (this.items.length > this.k) this.items.pop();
  }
}
