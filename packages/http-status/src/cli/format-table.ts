import type { StatusResult } from "../status-result.js";
import { paintStatus, type Colors } from "./colors.js";
import { formatSeconds, type Formatter } from "./formatter.js";

const STATUS_WIDTH = 26;
const TIME_WIDTH = 7;

/**
 * `-o table`: one aligned row per result, streamed — status (or error code),
 * time, URL, then where it redirects or what went wrong.
 */
export function tableFormatter(colors: Colors): Formatter {
  return {
    begin: () => colors.bold(`${"STATUS".padEnd(STATUS_WIDTH)} ${"TIME".padStart(TIME_WIDTH)}  URL`) + "\n",
    row: (r) => {
      const label = statusLabel(r);
      const status = paintStatus(colors, r.error === null ? r.status : null, label.padEnd(STATUS_WIDTH));
      const time = formatSeconds(r.timings.total).padStart(TIME_WIDTH);
      return `${status} ${time}  ${printable(r.url)}${detail(r, colors)}\n`;
    },
    end: () => "",
  };
}

function statusLabel(r: StatusResult): string {
  const text = r.error !== null ? r.error.code : r.status === null ? "?" : printable(`${r.status} ${r.reason ?? ""}`.trim());
  return text.length > STATUS_WIDTH ? `${text.slice(0, STATUS_WIDTH - 1)}…` : text;
}

function detail(r: StatusResult, colors: Colors): string {
  const parts: string[] = [];
  if (r.redirects.length > 0) {
    parts.push(`→ ${r.redirects[r.redirects.length - 1]} (${r.redirects.length} redirect${r.redirects.length === 1 ? "" : "s"})`);
  }
  if (r.location !== null) parts.push(`→ ${printable(r.location)}`);
  if (r.error !== null) parts.push(colors.dim(printable(r.error.message)));
  return parts.length === 0 ? "" : `  ${parts.join("  ")}`;
}

/**
 * What a server sent (a reason phrase, a Location) is shown on a terminal:
 * control characters are escaped (`\x1b`), never passed through, so that a
 * hostile server cannot move the cursor, retitle the window or clear the screen.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
