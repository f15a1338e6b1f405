import { describeValue } from "@asyncio-ts/loop/lowlevel";

/** Bytes from a writer's argument: a Uint8Array as is (no copy), a string as UTF-8. */
export function toBytes(data: unknown, where: string): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === "string") return Buffer.from(data, "utf8");
  throw new TypeError(`${where}() takes bytes (a Uint8Array) or a string, got ${describeValue(data)}`);
}
