import type { Colors } from "./colors.js";
import { formatSeconds } from "./formatter.js";
import type { Tally } from "./tally.js";

/** The closing summary (for stderr): counts, errors by code, the slowest URLs, total time. */
export function renderSummary(tally: Tally, seconds: number, colors: Colors, interrupted: { notFinished: boolean } | null): string {
  const rate = seconds > 0 ? tally.done / seconds : 0;
  const lines: string[] = [];
  const head = `${interrupted ? "Interrupted: checked" : "Checked"} ${tally.done} URL${tally.done === 1 ? "" : "s"} in ${formatSeconds(seconds)} (${rate.toFixed(1)}/s): ${tally.done - tally.notOk} ok, ${tally.notOk} not ok`;
  lines.push(colors.bold(head));
  const c = tally.classes;
  const counts = [
    colors.green(`2xx ${c["2xx"]}`),
    colors.cyan(`3xx ${c["3xx"]}`),
    colors.yellow(`4xx ${c["4xx"]}`),
    colors.red(`5xx ${c["5xx"]}`),
  ];
  if (c.other > 0) counts.push(`other ${c.other}`);
  let errors = colors.magenta(`errors ${tally.errorCount}`);
  if (tally.errors.size > 0) errors += ` (${[...tally.errors].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(", ")})`;
  counts.push(errors);
  lines.push(`  ${counts.join("  ")}`);
  if (tally.slowest.length > 0) {
    lines.push(`  slowest: ${tally.slowest.map((s) => `${formatSeconds(s.total)} ${s.url}`).join(", ")}`);
  }
  if (interrupted?.notFinished) lines.push("  (Ctrl-C: the checks in flight were cancelled and the rest were not started)");
  return `${lines.join("\n")}\n`;
}
