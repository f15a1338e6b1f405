import type { StatusResult } from "../status-result.js";

/** Turns results into text for stdout, streaming: `begin()`, one `row()` per result, `end()`. */
export interface Formatter {
  begin(): string;
  row(result: StatusResult): string;
  end(): string;
}

export const FORMATS = ["table", "json", "jsonl", "csv"] as const;
export type Format = (typeof FORMATS)[number];

/** Seconds for people: "0.21 s", "12.3 s". */
export function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(2)} s` : `${seconds.toFixed(1)} s`;
}
