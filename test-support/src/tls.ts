import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
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

export interface TestCaCert extends TestCert {
  /** The PEM of the CA that signed `cert`: pass it as `ca` to trust it. */
  ca: string;
}

/**
 * A certificate for localhost, 127.0.0.1 and ::1 signed by a fresh test CA,
 * with extra X.509v3 extension lines for the leaf (OpenSSL's `-extfile`
 * syntax, e.g. `"extendedKeyUsage=clientAuth"`): for certificates that chain
 * to a trusted root and still must fail verification. Made now with openssl.
 */
export function makeCaSignedCert(leafExtensions: readonly string[] = []): TestCaCert {
  const { dir, remove } = tempDir("ca-cert");
  const file = (name: string): string => join(dir, name);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    execFileSync("openssl", [
      "req", "-x509", ...ec, "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "1", "-subj", "/CN=asyncio-ts test CA",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    ], { stdio: "ignore" });
    execFileSync("openssl", ["req", ...ec, "-keyout", file("key.pem"), "-out", file("leaf.csr"), "-subj", "/CN=localhost"], { stdio: "ignore" });
    writeFileSync(file("leaf.ext"), ["subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", ...leafExtensions].join("\n") + "\n");
    execFileSync("openssl", [
      "x509", "-req", "-in", file("leaf.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-set_serial", "2",
      "-days", "1", "-extfile", file("leaf.ext"), "-out", file("cert.pem"),
    ], { stdio: "ignore" });
    const read = (name: string): string => readFileSync(file(name), "utf8");
    return { key: read("key.pem"), cert: read("cert.pem"), ca: read("ca.pem") };
  } finally {
    remove();
  }
}
