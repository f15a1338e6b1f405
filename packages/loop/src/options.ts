/**
 * Throws `TypeError` for a key of `options` that is not in `known`: a
 * misspelt option (`{ timout: 1 }`) would otherwise be silently ignored, as
 * Python raises for an unexpected keyword argument. The message has the form
 * the other packages use: `where() got an unknown option "timout" (known: ...)`.
 * `options` must already be known to be an object (or undefined/null, which
 * pass).
 */
export function checkOptionNames(options: object | null | undefined, known: readonly string[], where: string): void {
  if (options === undefined || options === null) return;
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new TypeError(`${where}() got an unknown option ${JSON.stringify(key)} (known: ${known.join(", ")})`);
    }
  }
}
