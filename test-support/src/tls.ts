import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./temp-dir.js";

export interface TestCert {
  key: string;
  cert: string;
}

let cached: TestCert | null = null;

/**
 * A self-signed certificate for localhost, 127.0.0.1 and ::1, made now with
 * openssl (no fixed files that expire); one per test process.
 */
export function makeCert(): TestCert {
  if (cached !== null) return cached;
  const { dir, remove } = tempDir("cert");
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1",
      "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
    ], { stdio: "ignore" });
    cached = { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
    return cached;
  } finally {
    remove();
  }
}
