// The CPU task of threads-cpu.mjs, as a module so worker threads can import it:
// SHA-256 over a 64 KiB buffer, 50 times (2-5 ms on the reference machine).
import { createHash } from "node:crypto";

const data = new Uint8Array(64 * 1024).fill(7);

export function hash(seed) {
  let digest = Buffer.from(String(seed));
  for (let i = 0; i < 50; i++) {
    data.set(digest.subarray(0, 16));
    digest = createHash("sha256").update(data).digest();
  }
  return digest[0];
}

export function noop() {
  return undefined;
}
