export { runLoop } from "@asyncio-ts/test-support/run-loop";
export { makeCert, type TestCert } from "@asyncio-ts/test-support/tls";
import { tempDir as tempDirFor } from "@asyncio-ts/test-support/temp-dir";

export const HOST = "127.0.0.1";

/** A fresh temporary directory, removed by the returned function. */
export const tempDir = (): { dir: string; remove: () => void } => tempDirFor("streams");

/** Bytes from a string. */
export function b(text: string): Buffer {
  return Buffer.from(text, "latin1");
}
