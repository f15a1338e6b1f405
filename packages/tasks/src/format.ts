/** A coroutine as asyncio names it in a task's repr: `main()`. */
export function formatCoroutine(coro: unknown): string {
  if (typeof coro === "function") return `${coro.name || "<anonymous>"}()`;
  if (coro !== null && typeof coro === "object") {
    const tag = (coro as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
    return tag === "Generator" ? "<generator>" : `<${String(tag ?? "coroutine")}>`;
  }
  return "<unknown>";
}
