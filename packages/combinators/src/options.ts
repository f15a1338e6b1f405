import { checkOptionNames, describeValue } from "@asyncio-ts/loop/lowlevel";

/**
 * A combinator's options: `undefined`/`null`, or an object with only `known`
 * keys. A number there (`wait(fs, 5)`) or a misspelt key (`{ timout: 5 }`)
 * would otherwise be ignored, and the wait would have no limit.
 */
export function checkOptions(options: unknown, known: readonly string[], where: string, before: string): void {
  if (options === undefined || options === null) return;
  if (typeof options !== "object") {
    const hint = typeof options === "number" && known.includes("timeout") ? ` (for a timeout, pass { timeout: ${options} })` : "";
    throw new TypeError(`${where}() takes an options object ({ ${known.join(", ")} }) after ${before}, got ${describeValue(options)}${hint}`);
  }
  checkOptionNames(options, known, where);
}
