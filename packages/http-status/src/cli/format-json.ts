import type { Formatter } from "./formatter.js";

/** `-o json`: one JSON array of `StatusResult`s, written as the results come. */
export function jsonFormatter(): Formatter {
  let first = true;
  return {
    begin: () => "[",
    row: (result) => {
      const prefix = first ? "\n  " : ",\n  ";
      first = false;
      return prefix + JSON.stringify(result);
    },
    end: () => (first ? "]\n" : "\n]\n"),
  };
}
