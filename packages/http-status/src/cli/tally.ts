import type { StatusResult } from "../status-result.js";

/**
 * Running counts for the progress bar and the summary: by status class, by
 * error code, how many are not ok, and the slowest few (bounded memory,
 * whatever the number of results).
 */
export class Tally {
  done = 0;
  notOk = 0;
  readonly classes = { "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0, other: 0 };
  readonly errors = new Map<string, number>();
  /** The slowest results, slowest first, at most `#keep` of them. */
  readonly slowest: { url: string; total: number }[] = [];
  readonly #keep: number;

  constructor(keep = 3) {
    this.#keep = keep;
  }

  add(result: StatusResult): void {
    this.done++;
    if (!result.ok) this.notOk++;
    if (result.error !== null) {
      this.errors.set(result.error.code, (this.errors.get(result.error.code) ?? 0) + 1);
    } else if (result.status !== null) {
      const key = `${Math.floor(result.status / 100)}xx`;
      if (key in this.classes) this.classes[key as keyof Tally["classes"]]++;
      else this.classes.other++;
    }
    const total = result.timings.total;
    if (this.slowest.length < this.#keep || total > this.slowest[this.slowest.length - 1].total) {
      this.slowest.push({ url: result.url, total });
      this.slowest.sort((a, b) => b.total - a.total);
      if (this.slowest.length > this.#keep) this.slowest.pop();
    }
  }

  get errorCount(): number {
    let n = 0;
    for (const count of this.errors.values()) n += count;
    return n;
  }
}
