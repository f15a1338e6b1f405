import type { Colors } from "./colors.js";
import type { Tally } from "./tally.js";

const BAR_WIDTH = 24;
const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/**
 * The live progress line on a terminal (stderr): a bar when the number of
 * URLs is known, counts by status class, rate. `clear()` before writing
 * anything else to the same terminal, `draw()` after.
 */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #colors: Colors;
  readonly #tally: Tally;
  readonly #total: number | null;
  readonly #started = performance.now();
  #frame = 0;
  #shown = false;

  constructor(stream: NodeJS.WriteStream, colors: Colors, tally: Tally, total: number | null) {
    this.#stream = stream;
    this.#colors = colors;
    this.#tally = tally;
    this.#total = total;
  }

  draw(): void {
    const line = this.render();
    this.#stream.write(`\r${line}\u001b[K`);
    this.#shown = true;
  }

  clear(): void {
    if (!this.#shown) return;
    this.#stream.write("\r\u001b[K");
    this.#shown = false;
  }

  render(): string {
    const t = this.#tally;
    const c = this.#colors;
    const elapsed = (performance.now() - this.#started) / 1000;
    const rate = elapsed > 0 ? t.done / elapsed : 0;
    let head: string;
    if (this.#total !== null && this.#total > 0) {
      const fraction = Math.min(1, t.done / this.#total);
      const filled = Math.round(fraction * BAR_WIDTH);
      head = `[${"█".repeat(filled)}${"░".repeat(BAR_WIDTH - filled)}] ${t.done}/${this.#total} ${Math.floor(fraction * 100)}%`;
    } else {
      head = `${SPINNER[this.#frame++ % SPINNER.length]} ${t.done} checked`;
    }
    const k = t.classes;
    const counts = `${c.green(`2xx ${k["2xx"]}`)} ${c.cyan(`3xx ${k["3xx"]}`)} ${c.yellow(`4xx ${k["4xx"]}`)} ${c.red(`5xx ${k["5xx"]}`)} ${c.magenta(`err ${t.errorCount}`)}`;
    const columns = this.#stream.columns ?? 100;
    const plain = `${head}  ${counts}  ${rate.toFixed(0)}/s`;
    // Never wrap: a wrapped line cannot be redrawn in place.
    return visibleLength(plain) <= columns - 1 ? plain : head.slice(0, Math.max(10, columns - 1));
  }
}

function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, "").length;
}
