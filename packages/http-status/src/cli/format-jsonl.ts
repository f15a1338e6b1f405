import type { Formatter } from "./formatter.js";

/** `-o jsonl`: one `StatusResult` per line as JSON, nothing else. */
export function jsonlFormatter(): Formatter {
  return {
    begin: () => "",
    row: (result) => `${JSON.stringify(result)}\n`,
    end: () => "",
  };
}
