import type { StatusResult } from "../status-result.js";
import type { Formatter } from "./formatter.js";

export const CSV_COLUMNS = [
  "url", "ok", "status", "reason", "http_version", "location", "redirects",
  "connect", "first_byte", "total", "error_code", "error_message",
] as const;

/** `-o csv`: RFC 4180 CSV with a header row; `redirects` is space-separated, timings in seconds. */
export function csvFormatter(): Formatter {
  return {
    begin: () => `${CSV_COLUMNS.join(",")}\n`,
    row: (r: StatusResult) =>
      `${[
        r.url, String(r.ok), r.status ?? "", r.reason ?? "", r.httpVersion ?? "", r.location ?? "", r.redirects.join(" "),
        seconds(r.timings.connect), seconds(r.timings.firstByte), seconds(r.timings.total), r.error?.code ?? "", r.error?.message ?? "",
      ]
        .map((v) => quote(String(v)))
        .join(",")}\n`,
    end: () => "",
  };
}

function seconds(value: number | null): string {
  return value === null ? "" : value.toFixed(4);
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
