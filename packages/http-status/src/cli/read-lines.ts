/** The longest line kept whole; a longer one is cut here (it will not be a valid URL anyway) and counts as one line. */
const MAX_LINE = 1 << 16;

/**
 * The URLs in a text stream, one per line, read lazily with the stream's own
 * backpressure (never the whole file in memory): lines are trimmed; blank
 * lines and `#` comments are skipped.
 */
export async function* readUrlLines(stream: AsyncIterable<Uint8Array | string>): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let rest = "";
  /** True while dropping the tail of an over-long line that was already yielded (cut). */
  let discarding = false;
  for await (const chunk of stream) {
    let text = rest + (typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    if (discarding) {
      const newline = text.indexOf("\n");
      if (newline === -1) {
        rest = "";
        continue;
      }
      text = text.slice(newline + 1);
      discarding = false;
    }
    let start = 0;
    for (;;) {
      const newline = text.indexOf("\n", start);
      if (newline === -1) break;
      const line = keep(text.slice(start, newline));
      start = newline + 1;
      if (line !== null) yield line;
    }
    rest = text.slice(start);
    if (rest.length > MAX_LINE) {
      const line = keep(rest.slice(0, MAX_LINE));
      rest = "";
      discarding = true;
      if (line !== null) yield line;
    }
  }
  if (discarding) return;
  const line = keep(rest + decoder.decode());
  if (line !== null) yield line;
}

function keep(raw: string): string | null {
  const line = raw.trim();
  return line === "" || line.startsWith("#") ? null : line;
}
