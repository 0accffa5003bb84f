import type { CheckResult } from './check-result.ts';

export const MAX_PROBLEM_SAMPLES = 20;

/**
 * Counts of one check and samples of its violations: every violation counts under its own name and
 * under `problems`, and a check is ok when there are none. Other counts only describe the run.
 */
export class Tally {
  readonly #counts: Record<string, number> = {};
  readonly #samples: string[] = [];
  #problems = 0;

  /** `names`: every count the result reports, at 0 until something is counted. */
  constructor(names: readonly string[]) {
    for (const name of names) this.#counts[name] = 0;
  }

  add(name: string, by = 1): void {
    this.#counts[name] = (this.#counts[name] ?? 0) + by;
  }

  problem(name: string, sample: string): void {
    this.add(name);
    this.#problems++;
    if (this.#samples.length < MAX_PROBLEM_SAMPLES) this.#samples.push(`${name}: ${sample}`);
  }

  result(name: string, checked: number): CheckResult {
    return { name, ok: this.#problems === 0, checked, counts: { ...this.#counts, problems: this.#problems }, problems: [...this.#samples] };
  }
}
